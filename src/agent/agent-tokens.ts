import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Stateless bearer tokens for agents: `<agent id>.<expiry>.<HMAC>`. Every process that shares
 * HANDOFF_TOKEN_SECRET accepts them; without a secret each process signs with its own random key.
 */
export class AgentTokens {
  private readonly secret: Buffer;

  constructor(
    secret: string | undefined,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.secret = secret ? Buffer.from(secret) : randomBytes(32);
  }

  issue(agentId: string): { token: string; expiresAt: string } {
    const expires = this.now() + this.ttlSeconds * 1000;
    const body = `${Buffer.from(agentId).toString('base64url')}.${expires}`;
    return { token: `${body}.${this.sign(body)}`, expiresAt: new Date(expires).toISOString() };
  }

  /** The agent id a valid, unexpired token names. */
  verify(token: string | undefined): string | undefined {
    if (!token) return undefined;
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [id = '', expires = '', signature = ''] = parts;
    const expected = Buffer.from(this.sign(`${id}.${expires}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    if (Number(expires) <= this.now()) return undefined;
    return Buffer.from(id, 'base64url').toString();
  }

  /** A signed, expiring value (the pending single sign-on login kept in a cookie between redirects). */
  seal(value: unknown, ttlSeconds: number): string {
    const body = `${Buffer.from(JSON.stringify(value)).toString('base64url')}.${this.now() + ttlSeconds * 1000}`;
    return `${body}.${this.sign(`sealed.${body}`)}`;
  }

  unseal(sealed: string | undefined): unknown {
    const [data = '', expires = '', signature = ''] = (sealed ?? '').split('.');
    const expected = Buffer.from(this.sign(`sealed.${data}.${expires}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given) || Number(expires) <= this.now()) return undefined;
    return JSON.parse(Buffer.from(data, 'base64url').toString()) as unknown;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
