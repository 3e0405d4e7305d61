import { expect } from 'chai';
import { AGENTS, PASSWORD, startHarness, type Harness } from '../handoff/harness.js';
import { startFakeIssuer, type FakeIssuer } from '../support/fake-oidc-issuer.js';

/** The provider sends the browser to the public redirect URL; here that is the test server (as behind a proxy). */
function toHarness(location: string, harness: Harness): string {
  const url = new URL(location);
  return `${harness.url}${url.pathname}${url.search}`;
}

/** Follows the browser's redirects by hand, carrying carebot's cookie; returns where it lands. */
async function signIn(harness: Harness): Promise<string> {
  const start = await fetch(`${harness.url}/api/agent/oidc/login`, { redirect: 'manual' });
  expect(start.status).to.equal(302);
  const cookie = start.headers.get('set-cookie')?.split(';')[0] ?? '';
  expect(start.headers.get('set-cookie')).to.match(/HttpOnly/);
  const provider = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  expect(provider.status).to.equal(302);
  const callback = await fetch(toHarness(provider.headers.get('location')!, harness), { redirect: 'manual', headers: { cookie } });
  expect(callback.status).to.equal(302);
  return callback.headers.get('location')!;
}

describe('agent single sign-on (OpenID Connect against a local fake provider)', function () {
  this.timeout(30_000);
  let issuer: FakeIssuer;
  let harness: Harness | undefined;
  before(async () => {
    issuer = await startFakeIssuer();
  });
  after(async () => issuer?.close());
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function start(): Promise<Harness> {
    harness = await startHarness({
      agents: [...AGENTS.map((a) => (a.id === 'kit' ? { ...a, oidcSubject: 'entra-kit' } : a)), { id: 'ann2', name: 'Ann Two', skills: ['general'], languages: ['en'], email: 'ann@example.com', password: false }],
      env: { HANDOFF_OIDC_ISSUER: issuer.url, HANDOFF_OIDC_CLIENT_ID: issuer.clientId, HANDOFF_OIDC_CLIENT_SECRET: issuer.clientSecret, HANDOFF_OIDC_REDIRECT_URL: 'http://127.0.0.1:1/api/agent/oidc/callback' },
    });
    return harness;
  }

  it('logs a mapped agent in by subject or verified e-mail and hands the console a bearer token', async () => {
    const h = await start();
    expect(await (await fetch(`${h.url}/api/agent/oidc`)).json()).to.deep.equal({ enabled: true });
    issuer.user = { sub: 'entra-kit' };
    const landed = new URL(await signIn(h), h.url);
    expect(landed.pathname).to.equal('/agent');
    const token = new URLSearchParams(landed.hash.slice(1)).get('token');
    const inbox = await fetch(`${h.url}/api/agent/inbox`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await inbox.json()) as { agent: { id: string } }).agent.id).to.equal('kit');

    issuer.user = { sub: 'someone', email: 'ANN@example.com', email_verified: true };
    expect(new URL(await signIn(h), h.url).hash).to.match(/^#token=/);
  });

  it('refuses an unmapped identity, an unverified e-mail and a callback without its pending login', async () => {
    const h = await start();
    issuer.user = { sub: 'stranger' };
    expect(await signIn(h)).to.equal('/agent#sso-error=unknown-identity');
    issuer.user = { sub: 'someone', email: 'ann@example.com', email_verified: false };
    expect(await signIn(h)).to.equal('/agent#sso-error=unknown-identity');
    // A callback the browser did not start here (no pending-login cookie): nothing to match it with.
    issuer.user = { sub: 'entra-kit' };
    const start2 = await fetch(`${h.url}/api/agent/oidc/login`, { redirect: 'manual' });
    const provider = await fetch(start2.headers.get('location')!, { redirect: 'manual' });
    const forged = await fetch(toHarness(provider.headers.get('location')!, h), { redirect: 'manual' });
    expect(forged.headers.get('location')).to.equal('/agent#sso-error=no-login-pending');
    // An SSO-only agent has no password to log in with.
    const password = await fetch(`${h.url}/api/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agentId: 'ann2', password: PASSWORD }) });
    expect(password.status).to.equal(401);
  });
});
