import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../src/state/create-redis.js';
import { defineScript } from '../../src/state/lua-script.js';
import { systemClock, type Clock } from '../shared/clock.js';

/** What the platform's token endpoint answered. */
export interface FetchedToken {
  readonly token: string;
  readonly expiresInSeconds: number;
}

interface CachedToken {
  readonly token: string;
  /** Epoch ms after which we no longer use it (ahead of the platform's expiry). */
  readonly refreshAt: number;
  /** Epoch ms the platform said it expires (absent in tokens stored before this field existed). */
  readonly expiresAt?: number;
}

/** Where every process finds the token (keys from `RedisKeys`, so both share the deployment's hash tag and slot). */
export interface SharedTokenKeys {
  readonly redis: RedisClient;
  readonly key: string;
  /** Held by the one process that refreshes the token. */
  readonly lockKey: string;
}

export interface AccessTokenCacheOptions {
  /** Calls the platform's token endpoint. */
  readonly fetch: () => Promise<FetchedToken>;
  /** Shared by every process when set; otherwise the token lives in this process only. */
  readonly shared?: SharedTokenKeys | undefined;
  readonly clock?: Clock;
  /** How long a refresher may hold the lock; others wait for its token meanwhile. */
  readonly lockMs?: number;
}

/**
 * An access_token (WeChat Official Account, WeCom), fetched once and reused until shortly before
 * it expires. Both platforms cap how often a token may be fetched and invalidate the previous
 * token on each fetch, so with Redis every process shares one token and a lock makes sure only
 * one process refreshes it while the others wait for its result.
 */
export class AccessTokenCache {
  private readonly clock: Clock;
  private readonly lockMs: number;
  private memory: CachedToken | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(private readonly options: AccessTokenCacheOptions) {
    this.clock = options.clock ?? systemClock;
    this.lockMs = options.lockMs ?? 10_000;
  }

  /** A valid token: cached, or fetched now (one fetch at a time in this process). */
  async get(): Promise<string> {
    if (this.memory && this.memory.refreshAt > this.clock.now()) return this.memory.token;
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** The platform rejected `token` (40001, 42001...): forget it so the next `get` fetches a new one. */
  async invalidate(token: string): Promise<void> {
    if (this.memory?.token === token) this.memory = undefined;
    if (!this.options.shared) return;
    const { redis, key } = this.options.shared;
    const stored = await redis.get(key);
    if (stored && (JSON.parse(stored) as CachedToken).token === token) await deleteIfUnchanged(redis, key, stored);
  }

  /** The token in use: when it will be refreshed and when the platform said it expires (for /admin/channels). */
  get current(): { refreshAt: Date; expiresAt: Date | undefined } | undefined {
    if (!this.memory) return undefined;
    return { refreshAt: new Date(this.memory.refreshAt), expiresAt: this.memory.expiresAt === undefined ? undefined : new Date(this.memory.expiresAt) };
  }

  private async load(): Promise<string> {
    if (!this.options.shared) return this.remember(await this.fetchFresh());
    const { redis, key, lockKey } = this.options.shared;
    const deadline = this.clock.now() + this.lockMs * 2;
    for (;;) {
      const shared = await this.readShared(redis, key);
      if (shared) return this.remember(shared);
      const lockValue = randomUUID();
      if ((await redis.set(lockKey, lockValue, 'PX', this.lockMs, 'NX')) === 'OK') {
        try {
          // Another process may have stored a token between our read and our lock.
          const stored = await this.readShared(redis, key);
          if (stored) return this.remember(stored);
          const fresh = await this.fetchFresh();
          await redis.set(key, JSON.stringify(fresh), 'PX', Math.max(1, fresh.refreshAt - this.clock.now()));
          return this.remember(fresh);
        } finally {
          await deleteIfUnchanged(redis, lockKey, lockValue);
        }
      }
      // Another process is refreshing: wait for its token rather than fetching (and invalidating) one of our own.
      if (this.clock.now() > deadline) throw new Error('access token refresh by another process did not finish in time');
      await this.clock.sleep(50);
    }
  }

  private async readShared(redis: RedisClient, key: string): Promise<CachedToken | undefined> {
    const raw = await redis.get(key);
    if (!raw) return undefined;
    const cached = JSON.parse(raw) as CachedToken;
    return cached.refreshAt > this.clock.now() ? cached : undefined;
  }

  private async fetchFresh(): Promise<CachedToken> {
    const { token, expiresInSeconds } = await this.options.fetch();
    // Refresh 5 minutes early (half the lifetime for short-lived tokens), so no send uses a token that expires in flight.
    const marginMs = Math.min(300_000, (expiresInSeconds * 1000) / 2);
    const expiresAt = this.clock.now() + expiresInSeconds * 1000;
    return { token, refreshAt: expiresAt - marginMs, expiresAt };
  }

  private remember(cached: CachedToken): string {
    this.memory = cached;
    return cached.token;
  }
}

/**
 * Deletes `key` only while it still holds `value`, in one step: a lock that lapsed and was taken
 * by another process, or a token another process already replaced, is left alone.
 */
async function deleteIfUnchanged(redis: RedisClient, key: string, value: string): Promise<void> {
  await defineScript(redis, 'src/state/scripts/delete-if-equal.lua').run([key], [value]);
}
