import type { Response } from 'express';
import type { RedisClient } from '../state/create-redis.js';
import type { SecuritySettings } from '../config/security.js';
import type { Logger } from '../logger.js';
import { MemoryFailureCounter, RedisFailureCounter, type FailureCounter } from './failure-counter.js';

/** Who is trying: the account (an agent id; none for the shared admin token) and the client address. */
export interface LoginAttempt {
  readonly account?: string | undefined;
  readonly address: string;
}

export type LoginOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly locked?: { readonly retryAfterSeconds: number; readonly reason: string } };

/**
 * Brute-force protection for agent logins, the dashboard login and the admin bearer token.
 * Every attempt is counted before the secret is checked (so a burst of parallel guesses cannot
 * slip past), per account and per client address; past the limit the attempt is refused
 * unchecked until LOGIN_LOCKOUT_SECONDS after the last one. A success clears the account's
 * count and gives the address its attempt back, so an office of agents behind one address
 * can log in all day. Locks are logged at warn, without the secret.
 *
 * The shared admin token has no account lock: anyone could lock every operator out by
 * guessing, and a 16+ character token is not guessable in LOGIN_MAX_FAILURES_PER_ADDRESS tries
 * per address.
 */
export class LoginGuard {
  constructor(
    private readonly counter: FailureCounter,
    private readonly policy: SecuritySettings['login'],
    private readonly logger: Logger,
  ) {}

  static create(settings: SecuritySettings['login'], redis: RedisClient | undefined, keyPrefix: string, logger: Logger): LoginGuard {
    const child = logger.child({ component: 'login-guard' });
    return new LoginGuard(redis ? new RedisFailureCounter(redis, keyPrefix, child) : new MemoryFailureCounter(), settings, child);
  }

  /** Runs `verify` unless the account or address is locked; a falsy result is a failed attempt. */
  async attempt<T>(scope: string, who: LoginAttempt, verify: () => T | undefined | Promise<T | undefined>): Promise<LoginOutcome<T>> {
    const windowMs = this.policy.lockoutSeconds * 1000;
    const accountKey = who.account === undefined ? undefined : `${scope}:account:${who.account}`;
    const addressKey = `address:${who.address}`;
    const [account, address] = await Promise.all([accountKey ? this.counter.add(accountKey, windowMs) : undefined, this.counter.add(addressKey, windowMs)]);
    const accountOver = account !== undefined && account.count > this.policy.maxFailuresPerAccount;
    const addressOver = address.count > this.policy.maxFailuresPerAddress;
    if (accountOver || addressOver) {
      const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(accountOver ? account.ttlMs : 0, addressOver ? address.ttlMs : 0) / 1000));
      const what = accountOver ? 'this account' : 'this address';
      return { ok: false, locked: { retryAfterSeconds, reason: `Too many failed logins for ${what}; try again in ${retryAfterSeconds} s` } };
    }
    const value = await verify();
    if (value) {
      await Promise.all([accountKey ? this.counter.clear(accountKey) : undefined, this.counter.subtract(addressKey)]);
      return { ok: true, value };
    }
    if (account?.count === this.policy.maxFailuresPerAccount || address.count === this.policy.maxFailuresPerAddress) {
      this.logger.warn(
        { scope, account: who.account, address: who.address, lockoutSeconds: this.policy.lockoutSeconds, accountLocked: account?.count === this.policy.maxFailuresPerAccount },
        'login locked after repeated failures',
      );
    }
    return { ok: false };
  }
}

/** 429 LOGIN_LOCKED with Retry-After and the reason. */
export function refuseLocked(res: Response, locked: { retryAfterSeconds: number; reason: string }): void {
  res.setHeader('Retry-After', String(locked.retryAfterSeconds));
  res.status(429).json({ error: { code: 'LOGIN_LOCKED', message: locked.reason } });
}
