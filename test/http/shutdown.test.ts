import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import express from 'express';
import { DEVICES_YAML, LOBBY_SECRET, TOKEN_SECRET } from '../kiosk/support/kiosk-server.js';
import { closedWebSocket, openWebSocket } from '../support/web-socket.js';
import { listen } from '../../src/http/http-server.js';
import { CAREBOT_START_BUDGET_MS, CarebotProcesses, prepareNluModel } from '../support/spawn-carebot.js';

describe('graceful shutdown', () => {
  /** A test's carebot processes: registered at spawn, killed after the test whatever happened (a timeout skips `finally`). */
  const carebots = new CarebotProcesses();
  const KIOSK = { KNOWLEDGE_PACKS: 'core', KNOWLEDGE_WATCH: 'false' };
  before(async function () {
    // Trains once when no model is cached, so the tests below only wait for a start.
    this.timeout(300_000);
    await Promise.all([prepareNluModel(KIOSK), prepareNluModel()]);
  });
  afterEach(async () => {
    await carebots.stopAll();
  });

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

  it('ends open WebSockets with 1001 and exits on SIGTERM, instead of waiting for them past the deadline', async function () {
    this.timeout(CAREBOT_START_BUDGET_MS + 60_000);
    const dir = mkdtempSync(join(tmpdir(), 'carebot-shutdown-'));
    writeFileSync(join(dir, 'devices.yaml'), DEVICES_YAML);
    // A deadline far beyond the test's: only closing the sockets lets the process exit in time.
    const carebot = await carebots.start({
      LOG_LEVEL: 'info',
      ...KIOSK,
      KIOSK_DEVICES_FILE: join(dir, 'devices.yaml'),
      KIOSK_TOKEN_SECRET: TOKEN_SECRET,
      SHUTDOWN_TIMEOUT_MS: '600000',
    });
    try {
      const started = await fetch(`${carebot.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${LOBBY_SECRET}` } });
      const { streamUrl } = (await started.json()) as { streamUrl: string };
      const ws = await openWebSocket(streamUrl);
      const closeCode = closedWebSocket(ws, 100_000);
      const code = await carebot.stop('SIGTERM');
      expect(await closeCode).to.equal(1001);
      expect(code, carebot.output()).to.equal(0);
      expect(carebot.output()).to.include('shutdown complete').and.not.include('did not close in time');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits 0 on ${signal}`, async function () {
      this.timeout(CAREBOT_START_BUDGET_MS + 30_000);
      const carebot = await carebots.start({ LOG_LEVEL: 'info' });
      expect((await fetch(`${carebot.url}/healthz`)).status).to.equal(200);
      const code = await carebot.stop(signal);
      expect(code, carebot.output()).to.equal(0);
      expect(carebot.output()).to.include('shutdown complete');
    });
  }
});
