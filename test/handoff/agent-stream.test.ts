import { expect } from 'chai';
import type { WebSocket } from 'ws';
import { closedWebSocket, openWebSocket } from '../support/web-socket.js';
import { testRedisUrl } from '../support/test-redis.js';
import { startHarness, type Harness } from './harness.js';

const HUMAN = (text: string) => (text === '我要真人' ? { intent: 'core.human' } : undefined);

describe('agent stream: heartbeat and frame size', function () {
  this.timeout(30_000);
  let harness: Harness | undefined;
  const sockets: WebSocket[] = [];
  afterEach(async () => {
    for (const ws of sockets.splice(0)) ws.terminate();
    await harness?.close();
    harness = undefined;
  });

  async function assigned(user: string) {
    harness = await startHarness({ redisUrl: testRedisUrl(), understand: HUMAN, env: { HANDOFF_LEASE_MS: '900' } });
    await harness.say(user, '我要真人');
    const kit = await harness.agent('kit');
    const { body } = await kit.next();
    expect(body.handoff.agentId).to.equal('kit');
    return { kit, id: body.handoff.id as string, streamUrl: `${harness.url.replace('http', 'ws')}/api/agent/stream?token=${encodeURIComponent(kit.token)}` };
  }

  it('cuts a socket that stops answering pings, and its leases are no longer renewed', async () => {
    const { id, streamUrl } = await assigned('kai');
    const silent = await openWebSocket(streamUrl, { autoPong: false });
    sockets.push(silent);
    // heartbeat = lease / 3 = 300 ms: the first unanswered ping cuts the socket at the next tick
    await closedWebSocket(silent, 5_000);
    await harness!.customers.waitFor('kai', /客服斷咗線，你已經重新排隊/);
    expect((await harness!.feature.queue.get(id))?.state).to.equal('waiting');
  });

  it('keeps a socket that answers pings, and its leases, across several lease periods', async () => {
    const { id, streamUrl } = await assigned('lou');
    const live = await openWebSocket(streamUrl);
    sockets.push(live);
    let cut = false;
    live.once('close', () => {
      cut = true;
    });
    // No REST calls: only the stream's heartbeats keep the lease.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(cut).to.equal(false);
    expect((await harness!.feature.queue.get(id))?.state).to.equal('assigned');
  });

  it('closes the socket with 1009 when a frame exceeds the small maxPayload', async () => {
    const { streamUrl } = await assigned('mo');
    const ws = await openWebSocket(streamUrl);
    sockets.push(ws);
    const code = closedWebSocket(ws, 5_000);
    ws.send('x'.repeat(64 * 1024));
    expect(await code).to.equal(1009);
  });
});
