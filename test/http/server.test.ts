import { expect } from 'chai';
import { createCarebot, type Carebot } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { listen, type RunningServer } from '../../src/http/http-server.js';
import { startConnectorStub, messageActivity, type ConnectorStub } from '../support/connector-stub.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { memoryLogger } from '../support/silent-logger.js';

describe('HTTP server', () => {
  let carebot: Carebot;
  let running: RunningServer;
  let stub: ConnectorStub;

  before(async () => {
    carebot = await createCarebot(loadConfig({ NODE_ENV: 'test', BODY_LIMIT_BYTES: '2048' }), { logger: memoryLogger('silent').logger });
    running = await listen(carebot.app, '127.0.0.1', 0);
    stub = await startConnectorStub();
  });
  after(async () => {
    await running?.close(1000);
    await carebot?.close();
    await stub?.close();
  });

  it('GET /healthz answers while the process is alive', async () => {
    const response = await fetch(`${running.url}/healthz`);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ status: 'ok' });
  });

  it('GET /readyz is 200 on embedded defaults once the content is loaded', async () => {
    const response = await fetch(`${running.url}/readyz`);
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
    expect(body.ready).to.equal(true);
    expect(body.checks.knowledge?.ok).to.equal(true);
    expect(body.checks.analytics?.ok, 'the analytics writer is making progress').to.equal(true);
    expect(body.checks.redis).to.equal(undefined);
  });

  it('answers a Bot Framework Activity by posting the reply to its serviceUrl', async () => {
    const before = stub.received.length;
    const response = await fetch(`${running.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(messageActivity(stub.url, '你好', { conversation: { id: 'bf-1', isGroup: false, name: '' } as never })),
    });
    expect(response.status).to.be.oneOf([200, 201, 202]);
    const [reply] = (await stub.waitFor(before + 1)).slice(before);
    expect(reply?.type).to.equal('message');
    expect(reply?.text).to.equal('您好！我是 carebot。可以用普通话、English 或廣東話问我问题。');
    expect(reply?.locale).to.equal('zh-CN');
    expect(reply?.conversation?.id).to.equal('bf-1');
    expect(reply?.replyToId).to.match(/^activity-/);
  });

  it('rejects malformed JSON with 400 and the reason', async () => {
    const response = await fetch(`${running.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type": "message", "text": ',
    });
    expect(response.status).to.equal(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).to.equal('REQUEST_INVALID');
    expect(body.error.message).to.match(/Malformed JSON/);
  });

  it('rejects JSON that is not an Activity with 400', async () => {
    const response = await fetch(`${running.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([1, 2, 3]),
    });
    expect(response.status).to.equal(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).to.match(/Activity/);
  });

  it('rejects an activity without the fields a turn needs with 400, naming them', async () => {
    const response = await fetch(`${running.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'hi', channelId: 'emulator' }),
    });
    expect(response.status).to.equal(400);
    const message = ((await response.json()) as { error: { message: string } }).error.message;
    for (const field of ['serviceUrl', 'conversation.id', 'from', 'recipient']) expect(message).to.include(field);
    expect(message).to.not.include('channelId');
  });

  it('rejects a body over the limit with 413 and the limit', async () => {
    const response = await fetch(`${running.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(messageActivity(stub.url, 'x'.repeat(4096))),
    });
    expect(response.status).to.equal(413);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).to.equal('REQUEST_TOO_LARGE');
    expect(body.error.message).to.include('2048');
  });

  it('refuses activity text over 16 times MAX_INBOUND_TEXT_CHARS with 413, before any turn runs', async () => {
    const small = await createCarebot(loadConfig({ NODE_ENV: 'test', MAX_INBOUND_TEXT_CHARS: '10' }), { logger: memoryLogger('silent').logger });
    const server = await listen(small.app, '127.0.0.1', 0);
    try {
      const before = stub.received.length;
      const post = (text: string) =>
        fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(messageActivity(stub.url, text)) });
      const refused = await post('x'.repeat(161));
      expect(refused.status).to.equal(413);
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error.code).to.equal('REQUEST_TOO_LARGE');
      expect(body.error.message).to.include('160');
      expect(stub.received.length, 'no turn ran').to.equal(before);
      expect((await post('hello '.repeat(20))).status).to.be.oneOf([200, 201, 202]);
    } finally {
      await server.close(500);
      await small.close();
    }
  });

  it('returns a request id on every response, keeping a sane one the caller sent', async () => {
    const generated = await fetch(`${running.url}/healthz`);
    expect(generated.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    const kept = await fetch(`${running.url}/healthz`, { headers: { 'x-request-id': 'trace-42' } });
    expect(kept.headers.get('x-request-id')).to.equal('trace-42');
  });

  it('answers unknown routes with 404 JSON', async () => {
    const response = await fetch(`${running.url}/nope`);
    expect(response.status).to.equal(404);
  });
});

describe('GET /readyz with Redis', () => {
  let redisServer: PrivateRedis;
  let carebot: Carebot;
  let running: RunningServer;

  before(async () => {
    redisServer = await startPrivateRedis();
    carebot = await createCarebot(loadConfig({ NODE_ENV: 'test', REDIS_URL: redisServer.url }), { logger: memoryLogger('silent').logger });
    running = await listen(carebot.app, '127.0.0.1', 0);
  });
  after(async () => {
    await running?.close(1000);
    await carebot?.close();
    await redisServer?.destroy();
  });

  async function readiness(): Promise<{ status: number; body: { ready: boolean; checks: Record<string, { ok: boolean }> } }> {
    const response = await fetch(`${running.url}/readyz`);
    return { status: response.status, body: (await response.json()) as never };
  }

  async function eventually(expected: number, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let last = 0;
    while (Date.now() < deadline) {
      last = (await readiness()).status;
      if (last === expected) return last;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return last;
  }

  it('is 200 while Redis answers, 503 when it stops, and 200 again when it returns', async () => {
    expect(await eventually(200)).to.equal(200);
    expect((await readiness()).body.checks.redis?.ok).to.equal(true);

    await redisServer.stop();
    expect(await eventually(503)).to.equal(503);
    expect((await readiness()).body.checks.redis?.ok).to.equal(false);

    await redisServer.start();
    expect(await eventually(200)).to.equal(200);
  });
});


describe('POST /api/messages in production without Bot Framework credentials', () => {
  it('answers 503 CHANNEL_DISABLED instead of accepting unsigned traffic', async () => {
    const carebot = await createCarebot(loadConfig({ NODE_ENV: 'production' }), { logger: memoryLogger('silent').logger });
    const running = await listen(carebot.app, '127.0.0.1', 0);
    try {
      const response = await fetch(`${running.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageActivity('http://127.0.0.1:9', 'hi')),
      });
      expect(response.status).to.equal(503);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('CHANNEL_DISABLED');
    } finally {
      await running.close(1000);
      await carebot.close();
    }
  });
});
