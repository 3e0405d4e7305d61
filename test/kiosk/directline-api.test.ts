import { expect } from 'chai';
import { WebSocket } from 'ws';
import { TokenIssuer } from '../../adapters/kiosk/tokens.js';
import { call, LOBBY_SECRET, PLANT_SECRET, startKioskServer, TOKEN_SECRET, waitForActivities, type KioskServer } from './support/kiosk-server.js';

describe('kiosk Direct Line API', () => {
  let server: KioskServer;
  let base: string;

  before(async () => {
    server = await startKioskServer();
    base = `${server.url}/v3/directline`;
  });
  after(async () => {
    await server?.close();
  });

  async function start(secret = LOBBY_SECRET, body: unknown = {}) {
    const started = await call(`${base}/conversations`, 'POST', secret, body);
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    return started.body as { conversationId: string; token: string; streamUrl: string; expires_in: number };
  }

  const fromBot = (activity: Record<string, unknown>) => (activity.from as { id: string }).id === 'carebot' && activity.type === 'message';

  it('starts a conversation with the device secret: conversationId, token, expires_in and a ws:// streamUrl', async () => {
    const conversation = await start();
    expect(conversation.conversationId).to.match(/^[0-9a-f]{32}$/);
    expect(conversation.token.split('.')).to.have.length(3);
    expect(conversation.expires_in).to.equal(1800);
    expect(conversation.streamUrl).to.match(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/v3/directline/conversations/${conversation.conversationId}/stream\\?t=`));
  });

  it('greets the visitor in the kiosk language, and answers a message with speak, inputHint and locale', async () => {
    const { conversationId, token } = await start();
    const greeted = await waitForActivities(server.url, conversationId, token, (activities) => activities.some(fromBot));
    const greeting = greeted.activities.find(fromBot)!;
    expect(greeting.locale).to.equal('zh-HK');
    expect(greeting.speak).to.be.a('string').and.not.match(/https?:|\*\*/);
    expect(greeting.inputHint).to.be.oneOf(['acceptingInput', 'expectingInput']);

    const posted = await call(`${base}/conversations/${conversationId}/activities`, 'POST', token, {
      type: 'message',
      text: 'Hello',
      from: { id: 'someone-else' },
      channelData: { chosenLocale: 'en' },
    });
    expect(posted.status).to.equal(200);
    expect(posted.body.id).to.equal(`${conversationId}|0000001`);

    const after = await call(`${base}/conversations/${conversationId}/activities?watermark=${greeted.watermark}`, 'GET', token);
    const activities = after.body.activities as Record<string, unknown>[];
    expect(activities[0]).to.include({ type: 'message', text: 'Hello', id: posted.body.id });
    expect((activities[0]!.from as { id: string }).id, 'the sender is the token user, not what the client claims').to.match(/^dl_/);
    const reply = activities.find(fromBot)!;
    expect(reply.locale, 'the tapped language wins').to.equal('en');
    expect(reply.replyToId).to.equal(posted.body.id);
    expect(reply.speak).to.be.a('string').and.have.length.above(0);
    expect(Number(after.body.watermark)).to.equal(Number(greeted.watermark) + activities.length);

    const empty = await call(`${base}/conversations/${conversationId}/activities?watermark=${after.body.watermark as string}`, 'GET', token);
    expect(empty.body.activities).to.deep.equal([]);
  });

  it("puts the device's site and city in the turn's channel identity and from.properties", async () => {
    const { conversationId, token } = await start(PLANT_SECRET);
    await call(`${base}/conversations/${conversationId}/activities`, 'POST', token, { type: 'message', text: '你好' });
    const turn = server.turns.find((context) => context.activity.conversation.id === conversationId && context.activity.type === 'message')!;
    expect(turn.identity).to.include({ site: 'Shenzhen plant 2', city: 'Shenzhen' });
    expect(turn.identity!.channelUserId).to.match(/^dl_/);
    expect((turn.activity.from as { properties?: Record<string, unknown> }).properties).to.include({ city: 'Shenzhen', site: 'Shenzhen plant 2' });
    expect(turn.activity.channelId).to.equal('directline');
  });

  it('generates a token for a conversation the client then starts, and refreshes it', async () => {
    const generated = await call(`${base}/tokens/generate`, 'POST', LOBBY_SECRET, { user: { id: 'robot-visitor' } });
    expect(generated.status).to.equal(200);
    const { conversationId, token } = generated.body as { conversationId: string; token: string };
    const started = await call(`${base}/conversations`, 'POST', token, {});
    expect(started.status).to.equal(201);
    expect(started.body.conversationId).to.equal(conversationId);
    const again = await call(`${base}/conversations`, 'POST', token, {});
    expect(again.status, 'starting twice returns the same conversation').to.equal(200);

    const refreshed = await call(`${base}/tokens/refresh`, 'POST', token);
    expect(refreshed.status).to.equal(200);
    expect(refreshed.body.conversationId).to.equal(conversationId);
    const posted = await call(`${base}/conversations/${conversationId}/activities`, 'POST', refreshed.body.token as string, { type: 'message', text: 'hi' });
    expect(posted.status).to.equal(200);
  });

  it('reconnects: GET /conversations/:id gives a fresh token and a streamUrl carrying the watermark', async () => {
    const { conversationId, token } = await start();
    const reconnected = await call(`${base}/conversations/${conversationId}?watermark=3`, 'GET', token);
    expect(reconnected.status).to.equal(200);
    expect(reconnected.body.conversationId).to.equal(conversationId);
    expect(reconnected.body.streamUrl).to.include('watermark=3');
  });

  it('streams the backlog and every new activity over the WebSocket', async () => {
    const { conversationId, token, streamUrl } = await start();
    const ws = new WebSocket(streamUrl);
    const sets: { activities: Record<string, unknown>[]; watermark: string }[] = [];
    ws.on('message', (data) => sets.push(JSON.parse(String(data)) as (typeof sets)[number]));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    await call(`${base}/conversations/${conversationId}/activities`, 'POST', token, { type: 'message', text: 'Hello' });
    for (let i = 0; i < 200 && sets.flatMap((set) => set.activities).filter(fromBot).length < 2; i += 1) await new Promise((r) => setTimeout(r, 20));
    ws.close();
    const all = sets.flatMap((set) => set.activities);
    expect(all.filter(fromBot), 'greeting and answer').to.have.length(2);
    expect(all.some((activity) => activity.text === 'Hello')).to.equal(true);
    expect(Number(sets.at(-1)!.watermark)).to.equal(all.length);
  });

  describe('errors', () => {
    it('401 without credentials or with an unknown secret', async () => {
      const missing = await call(`${base}/conversations`, 'POST', undefined, {});
      expect(missing.status).to.equal(401);
      expect(missing.body.error?.code).to.equal('UNAUTHORIZED');
      expect(missing.headers.get('www-authenticate')).to.match(/^Bearer/);
      const wrong = await call(`${base}/conversations`, 'POST', 'not-a-device-secret-at-all', {});
      expect(wrong.status).to.equal(401);
    });

    it('403 for a token signed with another key (a restart without KIOSK_TOKEN_SECRET): clients renew it as Azure Direct Line asks', async () => {
      const forged = await call(`${base}/conversations`, 'POST', new TokenIssuer('another-key-another-key-another-key', 60).issue({ dev: 'lobby-hk-1', conv: 'x', user: 'u' }), {});
      expect(forged.status).to.equal(403);
      expect(forged.body.error?.code).to.equal('TOKEN_EXPIRED');
    });

    it('403 TOKEN_EXPIRED for an expired token (the client library then reconnects)', async () => {
      const { conversationId } = await start();
      const expired = new TokenIssuer(TOKEN_SECRET, 60, () => Date.now() - 3_600_000).issue({ dev: 'lobby-hk-1', conv: conversationId, user: 'dl_x' });
      const response = await call(`${base}/conversations/${conversationId}/activities`, 'GET', expired);
      expect(response.status).to.equal(403);
      expect(response.body.error?.code).to.equal('TOKEN_EXPIRED');
      expect((await call(`${base}/tokens/refresh`, 'POST', expired)).status).to.equal(403);
    });

    it("403 for another conversation's token, 404 for an unknown conversation or another device's", async () => {
      const first = await start();
      const second = await start();
      const crossed = await call(`${base}/conversations/${second.conversationId}/activities`, 'GET', first.token);
      expect(crossed.status).to.equal(403);
      const unknown = await call(`${base}/conversations/nope/activities`, 'GET', LOBBY_SECRET);
      expect(unknown.status).to.equal(404);
      expect(unknown.body.error?.code).to.equal('NOT_FOUND');
      const otherDevice = await call(`${base}/conversations/${first.conversationId}/activities`, 'GET', PLANT_SECRET);
      expect(otherDevice.status).to.equal(404);
    });

    it('400 REQUEST_INVALID for malformed activities, with the reason', async () => {
      const { conversationId, token } = await start();
      const url = `${base}/conversations/${conversationId}/activities`;
      const cases: [unknown, RegExp][] = [
        [{ text: 'no type' }, /type/],
        [{ type: 'message' }, /text/],
        [{ type: 'message', text: 'hi', attachments: [{ contentType: 'image/png' }] }, /attachments/],
        [{ type: 'event' }, /name/],
        [[1, 2], /Malformed activity/],
        ['{"type": "message", ', /Malformed JSON/],
      ];
      for (const [body, reason] of cases) {
        const response = await call(url, 'POST', token, body);
        expect(response.status, JSON.stringify(body)).to.equal(400);
        expect(response.body.error?.code).to.equal('REQUEST_INVALID');
        expect(response.body.error?.message).to.match(reason);
      }
    });

    it('413 REQUEST_TOO_LARGE for text over 16 times MAX_INBOUND_TEXT_CHARS, naming the limit', async () => {
      const { conversationId, token } = await start();
      const response = await call(`${base}/conversations/${conversationId}/activities`, 'POST', token, { type: 'message', text: 'x'.repeat(32_001) });
      expect(response.status).to.equal(413);
      expect(response.body.error?.code).to.equal('REQUEST_TOO_LARGE');
      expect(response.body.error?.message).to.include('32000');
    });

    it('refuses a deeply nested or oversized event value (400/413), so later reads of the conversation keep working', async () => {
      const { conversationId, token } = await start();
      const url = `${base}/conversations/${conversationId}/activities`;
      const deep = `{"type":"event","name":"probe","value":${'['.repeat(30_000)}${']'.repeat(30_000)}}`;
      const nested = await call(url, 'POST', token, deep);
      expect(nested.status).to.equal(400);
      expect(nested.body.error?.code).to.equal('REQUEST_INVALID');
      expect(nested.body.error?.message).to.match(/value is nested deeper than 16 levels/);
      const wide = await call(url, 'POST', token, { type: 'event', name: 'probe', channelData: { blob: 'x'.repeat(9000) } });
      expect(wide.status).to.equal(413);
      expect(wide.body.error?.message).to.match(/channelData has \d+ characters of JSON/);
      const fine = await call(url, 'POST', token, { type: 'event', name: 'kiosk/ping', value: { a: { b: [1, { c: 'd' }] } } });
      expect(fine.status).to.equal(200);
      const read = await call(`${url}?watermark=0`, 'GET', token);
      expect(read.status).to.equal(200);
      expect((read.body.activities as { value?: unknown }[]).some((activity) => JSON.stringify(activity.value) === '{"a":{"b":[1,{"c":"d"}]}}')).to.equal(true);
    });

    it('answers an unusable watermark with 400 and the reason, on GET /activities, reconnect and the stream', async () => {
      const { conversationId, token, streamUrl } = await start();
      for (const watermark of ['99999999999999999999', '-1', '1.5', 'abc', '1e3']) {
        for (const path of [`/conversations/${conversationId}/activities`, `/conversations/${conversationId}`]) {
          const response = await call(`${base}${path}?watermark=${encodeURIComponent(watermark)}`, 'GET', token);
          expect(response.status, `${path} ${watermark}`).to.equal(400);
          expect(response.body.error?.code).to.equal('REQUEST_INVALID');
          expect(response.body.error?.message).to.match(/watermark/);
        }
      }
      expect((await call(`${base}/conversations/${conversationId}/activities?watermark=`, 'GET', token)).status).to.equal(200);
      expect((await call(`${base}/conversations/${conversationId}/activities?watermark=1`, 'GET', token)).status).to.equal(200);
      const status = await new Promise<number>((resolve) => {
        const socket = new WebSocket(streamUrl.replace(/watermark=[^&]*/, '') + '&watermark=99999999999999999999');
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
        socket.on('error', () => undefined);
      });
      expect(status).to.equal(400);
    });

    it('rejects stream upgrades with a bad token or for an unknown conversation', async () => {
      const { streamUrl, conversationId } = await start();
      const status = (url: string) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(url);
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('open', () => {
            ws.close();
            resolve(101);
          });
          ws.on('error', () => undefined);
        });
      expect(await status(streamUrl.replace(/t=[^&]+/, 't=bad.token.here'))).to.equal(403);
      expect(await status(streamUrl.replace(conversationId, 'unknown'))).to.equal(403);
      expect(await status(streamUrl)).to.equal(101);
    });
  });
});

describe('kiosk Direct Line rate limits', () => {
  let server: KioskServer;
  before(async () => {
    server = await startKioskServer({ KIOSK_RATE_LIMIT_PER_MINUTE: '5' });
  });
  after(async () => {
    await server?.close();
  });

  it('answers 429 RATE_LIMITED with Retry-After once a device exceeds its budget', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 7; i += 1) {
      last = await call(`${server.url}/v3/directline/tokens/generate`, 'POST', LOBBY_SECRET, {});
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5)).to.deep.equal([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).to.deep.equal([429, 429]);
    expect(last!.body.error?.code).to.equal('RATE_LIMITED');
    expect(Number(last!.headers.get('retry-after'))).to.be.within(1, 60);
  });
});
