import { expect } from 'chai';
import { ActivityHandler } from 'botbuilder';
import { Router } from 'express';
import { loadConfig } from '../../src/config.js';
import type { IncomingMessage } from 'node:http';
import { buildApp } from '../../src/http/build-app.js';
import { clientAddressOf } from '../../src/http/client-address.js';
import { listen, type RunningServer } from '../../src/http/http-server.js';
import { startKioskServer, type KioskServer } from '../kiosk/support/kiosk-server.js';
import { memoryLogger } from '../support/silent-logger.js';

/** A balancer at 203.0.113.9 forwarded a client that claims (first entry) to be on loopback. */
const FORWARDED = '127.0.0.1, 203.0.113.9';

describe('TRUST_PROXY', () => {
  it('parses what express accepts and names what it cannot use', () => {
    const trust = (value: string | undefined) => loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).security.trustProxy;
    expect(trust(undefined)).to.deep.equal(['loopback']);
    expect(trust('2')).to.equal(2);
    expect(trust('false')).to.equal(false);
    expect(trust('loopback, 10.0.0.0/8, 192.0.2.1, fd00::/8, 172.16.0.0/255.240.0.0, uniquelocal')).to.deep.equal([
      'loopback',
      '10.0.0.0/8',
      '192.0.2.1',
      'fd00::/8',
      '172.16.0.0/255.240.0.0',
      'uniquelocal',
    ]);
    for (const bad of ['10.0.0.0/33', 'proxy.example.com', '1.2.3', ',']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).to.throw(/TRUST_PROXY/);
    }
  });

  describe('req.ip follows the setting', () => {
    const servers: RunningServer[] = [];
    after(async () => {
      for (const server of servers) await server?.close(500);
    });

    async function ipSeen(trustProxy: string | undefined, forwarded: string): Promise<string> {
      const router = Router();
      router.get('/ip', (req, res) => {
        res.json({ ip: req.ip });
      });
      const config = loadConfig(trustProxy === undefined ? {} : { TRUST_PROXY: trustProxy });
      const app = buildApp({
        logger: memoryLogger('silent').logger,
        bodyLimitBytes: 1024,
        maxTextChars: 32_000,
        trustProxy: config.security.trustProxy,
        botFrameworkAdapter: undefined,
        bot: new ActivityHandler(),
        readinessChecks: [],
        routers: [router],
      });
      const server = await listen(app, '127.0.0.1', 0);
      servers.push(server);
      const response = await fetch(`${server.url}/ip`, { headers: { 'x-forwarded-for': forwarded } });
      return ((await response.json()) as { ip: string }).ip;
    }

    it('by default believes only a proxy on loopback: the balancer is the client', async () => {
      expect(await ipSeen(undefined, FORWARDED)).to.equal('203.0.113.9');
    });

    it('with a hop count, a CIDR list or false', async () => {
      expect(await ipSeen('2', FORWARDED)).to.equal('127.0.0.1');
      expect(await ipSeen('1', '198.51.100.7')).to.equal('198.51.100.7');
      expect(await ipSeen('loopback,203.0.113.0/24', '198.51.100.7, 203.0.113.9')).to.equal('198.51.100.7');
      expect(await ipSeen('false', '198.51.100.7')).to.equal('127.0.0.1');
    });

    it('reads WebSocket upgrades (which never pass through express) by the same rules', async () => {
      const cases: [string | undefined, string][] = [
        [undefined, FORWARDED],
        ['2', FORWARDED],
        ['1', '198.51.100.7'],
        ['loopback,203.0.113.0/24', '198.51.100.7, 203.0.113.9'],
        ['false', '198.51.100.7'],
        ['true', '198.51.100.7, 203.0.113.9'],
      ];
      for (const [trust, forwarded] of cases) {
        const upgrade = { headers: { 'x-forwarded-for': forwarded }, socket: { remoteAddress: '127.0.0.1' }, connection: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
        const config = loadConfig(trust === undefined ? {} : { TRUST_PROXY: trust });
        expect(clientAddressOf(config.security.trustProxy)(upgrade), `${trust}: ${forwarded}`).to.equal(await ipSeen(trust, forwarded));
      }
    });
  });

  describe('the kiosk page network check behind a load balancer', function () {
    this.timeout(60_000);
    let server: KioskServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    const session = (url: string) => fetch(`${url}/kiosk/session?device=lobby-hk-1`, { headers: { 'x-forwarded-for': FORWARDED } });

    it('sees the kiosk behind a trusted balancer (TRUST_PROXY=loopback,203.0.113.9)', async () => {
      server = await startKioskServer({ TRUST_PROXY: 'loopback,203.0.113.9' });
      expect((await session(server.url)).status).to.equal(200);
    });

    it('refuses when the balancer is not trusted (the default)', async () => {
      server = await startKioskServer();
      expect((await session(server.url)).status).to.equal(403);
    });
  });
});
