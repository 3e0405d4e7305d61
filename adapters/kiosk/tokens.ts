import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a Direct Line token carries: which device, which conversation, which user. */
export interface TokenClaims {
  /** Device id. */
  readonly dev: string;
  /** Conversation id the token is bound to. */
  readonly conv: string;
  /** The user id; botframework-directlinejs reads it from the `user` claim. */
  readonly user: string;
  /** Issued at / expires at, seconds since the epoch. */
  readonly iat: number;
  readonly exp: number;
}

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: 'invalid' | 'expired' };

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/**
 * Signs and checks Direct Line tokens: compact JWTs (HS256), so clients that decode the token
 * (botframework-directlinejs reads `user`) work, and any carebot process sharing the key can
 * check them without a store.
 */
export class TokenIssuer {
  private readonly key: Buffer;

  constructor(
    secret: string | undefined,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  get expiresIn(): number {
    return this.ttlSeconds;
  }

  issue(claims: { dev: string; conv: string; user: string }): string {
    const iat = Math.floor(this.now() / 1000);
    const payload = base64url(JSON.stringify({ ...claims, iat, exp: iat + this.ttlSeconds }));
    return `${HEADER}.${payload}.${this.sign(`${HEADER}.${payload}`)}`;
  }

  verify(token: string): VerifyResult {
    const [header, payload, signature, extra] = token.split('.');
    if (!header || !payload || !signature || extra !== undefined || header !== HEADER) return { ok: false, reason: 'invalid' };
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    if (typeof claims.exp !== 'number' || typeof claims.conv !== 'string' || typeof claims.dev !== 'string') return { ok: false, reason: 'invalid' };
    if (claims.exp * 1000 <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  private sign(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
