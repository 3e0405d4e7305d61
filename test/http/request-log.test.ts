import { expect } from 'chai';
import { ActivityHandler } from 'botbuilder';
import { buildApp } from '../../src/http/build-app.js';
import { redactUrl } from '../../src/http/request-log.js';
import { listen, type RunningServer } from '../../src/http/http-server.js';
import { memoryLogger } from '../support/silent-logger.js';

describe('request log lines', () => {
  let server: RunningServer | undefined;
  after(async () => server?.close(1000));

  it('carry no webhook verify token, stream token, platform echo or erased user id', async () => {
    const { logger, lines } = memoryLogger('info');
    const app = buildApp({ logger, bodyLimitBytes: 1024, maxTextChars: 32_000, botFrameworkAdapter: undefined, bot: new ActivityHandler(), readinessChecks: [], routers: [] });
    server = await listen(app, '127.0.0.1', 0);
    await fetch(`${server.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-secret-123&hub.challenge=challenge-456`);
    await fetch(`${server.url}/v3/directline/conversations/abc/stream?t=stream-token-789&watermark=2`);
    await fetch(`${server.url}/webhooks/wechat-official?signature=sig-1&timestamp=1&nonce=2&echostr=echo-000`);
    await fetch(`${server.url}/api/admin/users/85291234567@c.us`, { method: 'DELETE' });
    const logged = JSON.stringify(lines());
    expect(lines().length, 'the requests were logged').to.be.at.least(4);
    for (const secret of ['verify-secret-123', 'challenge-456', 'stream-token-789', 'echo-000', 'sig-1', '85291234567']) expect(logged, secret).to.not.include(secret);
    expect(logged).to.include('hub.mode=subscribe').and.include('watermark=2');
  });

  it('writes one line per request at a level by status, with the request id and duration; none for health probes', async () => {
    const { logger, lines } = memoryLogger('info');
    const app = buildApp({ logger, bodyLimitBytes: 1024, maxTextChars: 32_000, botFrameworkAdapter: undefined, bot: new ActivityHandler(), readinessChecks: [], routers: [] });
    const running = await listen(app, '127.0.0.1', 0);
    try {
      await fetch(`${running.url}/healthz`);
      await fetch(`${running.url}/no-such-page`, { headers: { 'x-request-id': 'trace-7' } });
      await fetch(`${running.url}/api/messages`, { method: 'POST' });
      const logged = lines() as { level: number; reqId?: string; req?: { method: string; url: string }; res?: { statusCode: number }; responseTime?: number; msg?: string }[];
      const requests = logged.filter((line) => line.req);
      expect(requests.map((line) => line.req!.url)).to.deep.equal(['/no-such-page', '/api/messages']);
      expect(requests[0]).to.include({ level: 40, reqId: 'trace-7', msg: 'request completed' });
      expect(requests[0]!.res).to.deep.equal({ statusCode: 404 });
      expect(requests[0]!.responseTime).to.be.a('number');
      expect(requests[1]).to.include({ level: 50 });
      expect(requests[1]!.reqId).to.match(/^[0-9a-f-]{36}$/);
    } finally {
      await running.close(1000);
    }
  });

  it('writes nothing, and builds no request logger, when its level is off', async () => {
    const { logger, lines } = memoryLogger('error');
    let children = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<typeof logger.child>) => {
      children += 1;
      return child(...args);
    }) as typeof logger.child;
    const app = buildApp({ logger, bodyLimitBytes: 1024, maxTextChars: 32_000, botFrameworkAdapter: undefined, bot: new ActivityHandler(), readinessChecks: [], routers: [] });
    const running = await listen(app, '127.0.0.1', 0);
    try {
      await fetch(`${running.url}/no-such-page`);
      expect(lines()).to.deep.equal([]);
      expect(children).to.equal(0);
    } finally {
      await running.close(1000);
    }
  });

  it('keeps the rest of the URL readable', () => {
    expect(redactUrl('/api/admin/users/u1/export')).to.equal('/api/admin/users/[redacted]/export');
    expect(redactUrl('/dashboard?range=7d')).to.equal('/dashboard?range=7d');
    expect(redactUrl('/x?T=1&b=2')).to.equal('/x?T=%5Bredacted%5D&b=2');
  });
});
