import { expect } from 'chai';
import { loadConfig } from '../../src/config.js';
import { LOBBY_SECRET, startKioskServer, type KioskServer } from './support/kiosk-server.js';

const ALLOWED = 'https://www.example.com';

describe('kiosk Direct Line CORS (DIRECTLINE_ALLOWED_ORIGINS)', () => {
  let server: KioskServer;
  before(async () => {
    server = await startKioskServer({ DIRECTLINE_ALLOWED_ORIGINS: `${ALLOWED}, http://localhost:8080` });
  });
  after(async () => {
    await server?.close();
  });

  const preflight = (origin: string, method = 'POST') =>
    fetch(`${server.url}/v3/directline/conversations`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type' },
    });

  it('answers a preflight from an allowed origin with the methods and headers Direct Line clients send', async () => {
    const response = await preflight(ALLOWED);
    expect(response.status).to.equal(204);
    expect(response.headers.get('access-control-allow-origin')).to.equal(ALLOWED);
    expect(response.headers.get('access-control-allow-methods')).to.include('POST').and.include('GET');
    expect(response.headers.get('access-control-allow-headers')).to.match(/Authorization/).and.match(/Content-Type/);
    expect(response.headers.get('access-control-allow-credentials')).to.equal(null);
    expect(response.headers.get('vary')).to.match(/Origin/);
  });

  it('lets an allowed origin read the answer (and its errors), with Vary: Origin', async () => {
    const started = await fetch(`${server.url}/v3/directline/conversations`, {
      method: 'POST',
      headers: { origin: 'http://localhost:8080', authorization: `Bearer ${LOBBY_SECRET}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(started.status).to.equal(201);
    expect(started.headers.get('access-control-allow-origin')).to.equal('http://localhost:8080');
    expect(started.headers.get('vary')).to.match(/Origin/);
    const refused = await fetch(`${server.url}/v3/directline/conversations`, { method: 'POST', headers: { origin: ALLOWED } });
    expect(refused.status).to.equal(401);
    expect(refused.headers.get('access-control-allow-origin')).to.equal(ALLOWED);
    expect(refused.headers.get('access-control-expose-headers')).to.match(/WWW-Authenticate/);
  });

  it('gives another origin no CORS headers at all, on the preflight and on the request', async () => {
    for (const origin of ['https://evil.example', 'https://www.example.com.evil.example', 'null']) {
      const response = await preflight(origin);
      expect(response.status).to.equal(204);
      const names: string[] = [];
      response.headers.forEach((_value, name) => names.push(name));
      expect(names.filter((name) => name.startsWith('access-control-')), origin).to.deep.equal([]);
      expect(response.headers.get('vary')).to.match(/Origin/);
    }
    const other = await fetch(`${server.url}/v3/directline/tokens/generate`, { method: 'POST', headers: { origin: 'https://evil.example', authorization: `Bearer ${LOBBY_SECRET}` } });
    expect(other.status, 'the server still answers; the browser withholds it').to.equal(200);
    expect(other.headers.get('access-control-allow-origin')).to.equal(null);
  });
});

describe('kiosk Direct Line CORS by default', () => {
  let server: KioskServer;
  before(async () => {
    server = await startKioskServer();
  });
  after(async () => {
    await server?.close();
  });

  it('allows no other origin (same-origin only)', async () => {
    const response = await fetch(`${server.url}/v3/directline/conversations`, {
      method: 'OPTIONS',
      headers: { origin: 'https://www.example.com', 'access-control-request-method': 'POST' },
    });
    expect(response.headers.get('access-control-allow-origin')).to.equal(null);
    expect(response.headers.get('access-control-allow-methods')).to.equal(null);
  });

  it('refuses an origin list with paths or other schemes at startup', () => {
    for (const value of ['https://www.example.com/chat', 'ftp://example.com', '*']) {
      expect(() => loadConfig({ NODE_ENV: 'test', DIRECTLINE_ALLOWED_ORIGINS: value }), value).to.throw(/DIRECTLINE_ALLOWED_ORIGINS/);
    }
    expect(loadConfig({ NODE_ENV: 'test', DIRECTLINE_ALLOWED_ORIGINS: 'https://a.example, http://[::1]:8080' }).kiosk.allowedOrigins).to.deep.equal(['https://a.example', 'http://[::1]:8080']);
  });
});
