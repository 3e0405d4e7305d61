import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';

export interface FakeUser {
  readonly sub: string;
  readonly email?: string;
  readonly email_verified?: boolean;
}

export interface FakeIssuer {
  url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Who "logs in" at the next authorization request. */
  user: FakeUser;
  close(): Promise<void>;
}

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/**
 * A tiny OpenID provider on 127.0.0.1 for tests: discovery, an authorization endpoint that logs
 * the current `user` in at once, a token endpoint that checks the client secret and the PKCE
 * verifier, and RS256 ID tokens with the request's nonce.
 */
export async function startFakeIssuer(): Promise<FakeIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; nonce: string; user: FakeUser }>();
  const app = express();
  const issuer: FakeIssuer = { url: '', clientId: 'carebot', clientSecret: 'fake-client-secret', user: { sub: 'nobody' }, close: async () => undefined };
  app.get('/.well-known/openid-configuration', (_req, res) => {
    res.json({
      issuer: issuer.url,
      authorization_endpoint: `${issuer.url}/authorize`,
      token_endpoint: `${issuer.url}/token`,
      jwks_uri: `${issuer.url}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    });
  });
  app.get('/jwks', (_req, res) => {
    res.json({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
  });
  app.get('/authorize', (req, res) => {
    const q = req.query as Record<string, string>;
    if (q.client_id !== issuer.clientId || q.response_type !== 'code' || q.code_challenge_method !== 'S256') return void res.status(400).send('bad request');
    const code = randomUUID();
    codes.set(code, { clientId: q.client_id, redirectUri: q.redirect_uri ?? '', challenge: q.code_challenge ?? '', nonce: q.nonce ?? '', user: issuer.user });
    const back = new URL(q.redirect_uri ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.state ?? '');
    back.searchParams.set('iss', issuer.url);
    res.redirect(302, back.href);
  });
  app.post('/token', express.urlencoded({ extended: false }), (req, res) => {
    const body = req.body as Record<string, string>;
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent) : [];
    const clientId = body.client_id ?? basicId;
    const secret = body.client_secret ?? basicSecret;
    const grant = codes.get(body.code ?? '');
    codes.delete(body.code ?? '');
    const verifierOk = grant && createHash('sha256').update(body.code_verifier ?? '').digest('base64url') === grant.challenge;
    if (!grant || clientId !== issuer.clientId || secret !== issuer.clientSecret || body.redirect_uri !== grant.redirectUri || !verifierOk) {
      return void res.status(400).json({ error: 'invalid_grant' });
    }
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
    const payload = b64url(JSON.stringify({ iss: issuer.url, aud: issuer.clientId, iat: now, exp: now + 300, nonce: grant.nonce, ...grant.user }));
    const signature = b64url(sign('sha256', Buffer.from(`${header}.${payload}`), privateKey));
    res.json({ access_token: randomUUID(), token_type: 'Bearer', expires_in: 300, id_token: `${header}.${payload}.${signature}` });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  issuer.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  issuer.close = () => new Promise((resolve) => server.close(() => resolve()));
  return issuer;
}
