import { expect } from 'chai';
import express from 'express';
import { listen } from '../../src/http/http-server.js';
import { spawnCarebot } from '../support/spawn-carebot.js';

describe('graceful shutdown', () => {
  it('stops accepting, lets the in-flight request finish, then closes', async () => {
    let releaseTurn!: () => void;
    let markStarted!: () => void;
    const turnStarted = new Promise<void>((resolve) => (markStarted = resolve));
    const app = express();
    app.post('/api/messages', async (_req, res) => {
      markStarted();
      await new Promise<void>((resolve) => (releaseTurn = resolve));
      res.json({ done: true });
    });
    const running = await listen(app, '127.0.0.1', 0);

    const inFlight = fetch(`${running.url}/api/messages`, { method: 'POST' });
    await turnStarted;
    let closed = false;
    const closing = running.close(10_000).then(() => (closed = true));

    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed, 'server waits for the in-flight turn').to.equal(false);
    const refused = await fetch(`${running.url}/api/messages`, { method: 'POST' }).then(
      () => 'accepted',
      () => 'refused',
    );
    expect(refused).to.equal('refused');

    releaseTurn();
    const response = await inFlight;
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ done: true });
    await closing;
    expect(closed).to.equal(true);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits 0 on ${signal}`, async () => {
      const carebot = await spawnCarebot({ LOG_LEVEL: 'info' });
      expect((await fetch(`${carebot.url}/healthz`)).status).to.equal(200);
      const code = await carebot.stop(signal);
      expect(code, carebot.output()).to.equal(0);
      expect(carebot.output()).to.include('shutdown complete');
    });
  }
});
