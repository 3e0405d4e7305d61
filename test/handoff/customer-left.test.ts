import { expect } from 'chai';
import type { HandoffLifecycleEvent } from '../../src/handoff/handoff-service.js';
import { eventually, startHarness, type Harness } from './harness.js';

const HUMAN = (text: string) => (/真人|human/.test(text) ? { intent: 'core.human' } : undefined);

describe('handoff: the customer left (endOfConversation)', function () {
  this.timeout(30_000);
  let harness: Harness;
  afterEach(async () => harness?.close());

  it('a waiting handoff is cancelled (abandoned: never accepted), silently, and the conversation is back with the bot', async () => {
    harness = await startHarness({ understand: HUMAN });
    const lifecycle: HandoffLifecycleEvent['type'][] = [];
    harness.feature.service.onLifecycle((event) => lifecycle.push(event.type));
    await harness.say('ho', '我要真人');
    expect(await harness.feature.queue.waitingIds()).to.have.length(1);
    const heard = harness.customers.lines('ho').length;

    await harness.customers.leave('ho', 'zh-HK', harness.logic);
    expect(await harness.feature.queue.waitingIds()).to.deep.equal([]);
    expect(lifecycle).to.deep.equal(['queued', 'cancelled']);
    expect(harness.customers.lines('ho'), 'nobody is there to read a reply').to.have.length(heard);
    const kit = await harness.agent('kit');
    expect((await kit.next()).status).to.equal(204);
    // back with the bot: asking again queues a new handoff
    await harness.say('ho', '我要真人');
    expect(await harness.feature.queue.waitingIds()).to.have.length(1);
  });

  it('an accepted handoff stays with its agent, who is told the visitor left and resolves it in one call', async () => {
    harness = await startHarness({ understand: HUMAN });
    await harness.say('ho', '我要真人');
    const kit = await harness.agent('kit');
    await kit.connect();
    const { body } = await kit.next();
    const id = body.handoff.id as string;

    await harness.customers.leave('ho', 'zh-HK', harness.logic);
    const event = await kit.waitForEvent((e) => e.type === 'customer-message' && e.handoffId === id);
    expect(event.message).to.include({ from: 'system', event: 'customer-left' });
    const view = await kit.get(id);
    expect(view.body.handoff.state).to.equal('assigned');
    expect(view.body.messages.at(-1)).to.include({ from: 'system', event: 'customer-left' });
    const resolved = await kit.call('POST', `/api/agent/handoffs/${id}/resolve`, { disposition: 'customer left' });
    expect(resolved.status).to.equal(200);
    await eventually(async () => (await kit.get(id)).body.handoff.state === 'resolved');
  });

  it('a customer who leaves with no handoff changes nothing', async () => {
    harness = await startHarness({ understand: HUMAN });
    await harness.say('ho', 'hello');
    await harness.customers.leave('ho', 'zh-HK', harness.logic);
    await harness.say('ho', '我要真人');
    expect(await harness.feature.queue.waitingIds()).to.have.length(1);
  });
});
