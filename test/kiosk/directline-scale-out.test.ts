import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { DirectLine, type Activity as DirectLineActivity } from 'botframework-directlinejs';
import { WebSocket } from 'ws';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { CarebotProcesses, prepareNluModel, type CarebotProcess } from '../support/spawn-carebot.js';
import { startRoundRobinProxy, type RoundRobinProxy } from './support/round-robin-proxy.js';
import { call, DEVICES_YAML, LOBBY_SECRET, TOKEN_SECRET } from './support/kiosk-server.js';

// botframework-directlinejs is a browser library: in Node it needs XMLHttpRequest and WebSocket globals.
const require = createRequire(import.meta.url);
type Activity = DirectLineActivity & { text?: string; replyToId?: string };
const globals = globalThis as Record<string, unknown>;

describe('Direct Line on three carebot processes behind a round-robin balancer (no sticky routing)', () => {
  const saved = { XMLHttpRequest: globals.XMLHttpRequest, WebSocket: globals.WebSocket };
  let dir: string;
  let redis: PrivateRedis | undefined;
  let proxy: RoundRobinProxy | undefined;
  const carebots = new CarebotProcesses();
  let processes: CarebotProcess[] = [];
  let directLine: DirectLine | undefined;

  before(async function () {
    // Training (once, when no model is cached) and three starts on a busy machine: see CAREBOT_START_BUDGET_MS.
    this.timeout(360_000);
    globals.XMLHttpRequest = require('xhr2') as unknown;
    globals.WebSocket = WebSocket;
    dir = mkdtempSync(join(tmpdir(), 'carebot-scale-out-'));
    writeFileSync(join(dir, 'devices.yaml'), DEVICES_YAML);
    redis = await startPrivateRedis();
    proxy = await startRoundRobinProxy();
    const env = {
      REDIS_URL: redis.url,
      KIOSK_DEVICES_FILE: join(dir, 'devices.yaml'),
      KIOSK_TOKEN_SECRET: TOKEN_SECRET,
      KIOSK_RATE_LIMIT_PER_MINUTE: '100000',
      KNOWLEDGE_PACKS: 'core',
      KNOWLEDGE_WATCH: 'false',
      // Stream URLs point at the balancer, as PUBLIC_URL does behind a real one.
      PUBLIC_URL: proxy.url,
    };
    await prepareNluModel(env);
    // Registered at spawn: after() stops every child even if this hook times out waiting for one.
    processes = await Promise.all([carebots.start(env), carebots.start(env), carebots.start(env)]);
    for (const carebot of processes) proxy.targets.push(Number(new URL(carebot.url).port));
  });

  after(async function () {
    this.timeout(30_000);
    directLine?.end();
    await carebots.stopAll();
    await proxy?.close();
    await redis?.destroy();
    rmSync(dir, { recursive: true, force: true });
    globals.XMLHttpRequest = saved.XMLHttpRequest;
    globals.WebSocket = saved.WebSocket;
  });

  it('holds one conversation across processes, each reply once and in order, and carries on after one is killed', async function () {
    this.timeout(120_000);
    const generated = await call(`${proxy!.url}/v3/directline/tokens/generate`, 'POST', LOBBY_SECRET, {});
    expect(generated.status).to.equal(200);
    const client = (directLine = new DirectLine({ token: generated.body.token as string, domain: `${proxy!.url}/v3/directline`, webSocket: true }));
    const seen: Activity[] = [];
    const subscription = client.activity$.subscribe((activity) => seen.push(activity as Activity));
    const waitFor = async (what: string, predicate: () => boolean) => {
      for (let attempt = 0; attempt < 600 && !predicate(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      if (!predicate()) throw new Error(`${what} never arrived; seen ${JSON.stringify(seen.map((a) => [a.id, a.text]))}`);
    };
    const isBot = (activity: Activity) => activity.from.id === 'carebot' && activity.type === 'message';
    const say = async (text: string) => {
      const id = await new Promise<string>((resolve, reject) => {
        client.postActivity({ type: 'message', from: { id: 'visitor' }, text, channelData: { chosenLocale: 'en' } } as DirectLineActivity).subscribe(resolve, reject);
      });
      await waitFor(`the reply to "${text}"`, () => seen.some((activity) => isBot(activity) && activity.replyToId === id));
    };
    try {
      await waitFor('the greeting', () => seen.some(isBot));
      const conversationId = (client as unknown as { conversationId: string }).conversationId;
      for (const text of ['Hello', 'What are your opening hours?', 'Thank you']) await say(text);

      // The WebSocket's process dies without a goodbye; the balancer sends the reconnect elsewhere.
      const streams = proxy!.routed.filter((request) => request.kind === 'websocket');
      expect(streams).to.have.length(1);
      const victim = streams[0]!.target;
      await processes[victim]!.stop('SIGKILL');
      for (const text of ['Hello again', 'Goodbye']) await say(text);

      const routed = proxy!.routed.filter((request) => request.path.includes(conversationId));
      const posts = new Set(routed.filter((request) => request.method === 'POST' && request.path.endsWith('/activities')).map((request) => request.target));
      expect(posts.size, 'the messages were posted to different processes').to.be.greaterThan(1);
      const websockets = proxy!.routed.filter((request) => request.kind === 'websocket');
      expect(websockets.length, 'the client opened a new stream after the kill').to.be.at.least(2);
      expect(websockets.at(-1)!.target, 'on a live process').to.not.equal(victim);
      expect([...posts].some((target) => target !== victim), 'a POST landed on a process that did not hold the stream').to.equal(true);

      // Every activity of the log reached the client exactly once, in log order (GETs land on the live processes).
      const log = await call(`${proxy!.url}/v3/directline/conversations/${conversationId}/activities`, 'GET', generated.body.token as string);
      expect(log.status).to.equal(200);
      const logIds = (log.body.activities as { id: string }[]).map((activity) => activity.id);
      await waitFor('every logged activity', () => logIds.every((id) => seen.some((activity) => activity.id === id)));
      expect(seen.map((activity) => activity.id)).to.deep.equal(logIds);
      expect(seen.filter(isBot).length, 'a greeting and five replies at least').to.be.at.least(6);
      const gets = proxy!.routed.filter((request) => request.method === 'GET' && request.kind === 'http' && request.path.includes(conversationId));
      expect(gets.length, 'the reconnect and the log read were GETs').to.be.at.least(2);
    } finally {
      subscription.unsubscribe();
      client.end();
    }
  });
});
