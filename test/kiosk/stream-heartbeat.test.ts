import { expect } from 'chai';
import type { WebSocket } from 'ws';
import { closedWebSocket, openWebSocket } from '../support/web-socket.js';
import { call, LOBBY_SECRET, startKioskServer, type KioskServer } from './support/kiosk-server.js';

describe('kiosk Direct Line stream: heartbeat and frame size', function () {
  this.timeout(30_000);
  let server: KioskServer;
  const sockets: WebSocket[] = [];
  before(async () => {
    server = await startKioskServer({ WS_PING_INTERVAL_SECONDS: '1' });
  });
  afterEach(() => {
    for (const ws of sockets.splice(0)) ws.terminate();
  });
  after(async () => {
    await server?.close();
  });

  async function stream(options: { autoPong?: boolean } = {}): Promise<WebSocket> {
    const started = await call(`${server.url}/v3/directline/conversations`, 'POST', LOBBY_SECRET, {});
    expect(started.status).to.equal(201);
    const ws = await openWebSocket(started.body.streamUrl as string, options);
    sockets.push(ws);
    return ws;
  }

  it('terminates a client that stops answering pings, and keeps one that answers', async () => {
    const silent = await stream({ autoPong: false });
    const live = await stream();
    let liveCut = false;
    live.once('close', () => {
      liveCut = true;
    });
    await closedWebSocket(silent, 6_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(liveCut).to.equal(false);
  });

  it('closes with 1009 when a frame exceeds the small maxPayload', async () => {
    const ws = await stream();
    const code = closedWebSocket(ws, 5_000);
    ws.send('x'.repeat(64 * 1024));
    expect(await code).to.equal(1009);
  });
});
