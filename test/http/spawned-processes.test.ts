import { expect } from 'chai';
import { CarebotProcesses } from '../support/spawn-carebot.js';

/** The test harness for child carebot processes must not leak one when a test gives up early. */
describe('carebot processes a test starts', () => {
  it('are stopped by stopAll() while still starting (a before hook that timed out)', async function () {
    this.timeout(60_000);
    const carebots = new CarebotProcesses();
    const starting = carebots.start({ KNOWLEDGE_PACKS: 'core', KNOWLEDGE_WATCH: 'false' });
    await carebots.stopAll();
    const outcome = await starting.then(
      () => 'listening',
      (error: Error) => error.message,
    );
    expect(outcome).to.match(/exited with .* before listening/);
  });
});
