import type { RedisClient } from '../state/create-redis.js';
import type { Logger } from '../logger.js';
import { defineScript, type RedisScript } from '../state/lua-script.js';
import { RedisKeys } from '../state/redis-keys.js';

export interface Count {
  readonly count: number;
  /** Until the key is forgotten; 0 when it does not exist. */
  readonly ttlMs: number;
}

/**
 * Counters that expire `windowMs` after their last increment: failed logins per account and
 * per address. In memory for one process, in Redis (REDIS_URL) so every process sees the same.
 */
export interface FailureCounter {
  /** Adds one; the key now expires `windowMs` from now. */
  add(key: string, windowMs: number): Promise<Count>;
  /** Takes one back (an attempt counted up front that succeeded); never creates the key. */
  subtract(key: string): Promise<void>;
  clear(key: string): Promise<void>;
}

/** Enough keys for a large attack; beyond it the least recently counted go first. */
const MAX_KEYS = 100_000;

export class MemoryFailureCounter implements FailureCounter {
  private readonly entries = new Map<string, { count: number; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async add(key: string, windowMs: number): Promise<Count> {
    const now = this.now();
    const entry = this.entries.get(key);
    const count = (entry && entry.expiresAt > now ? entry.count : 0) + 1;
    // delete + set keeps the Map in order of last use, so the oldest are the ones evicted
    this.entries.delete(key);
    this.entries.set(key, { count, expiresAt: now + windowMs });
    if (this.entries.size > MAX_KEYS) this.evict(now);
    return { count, ttlMs: windowMs };
  }

  async subtract(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) entry.count = Math.max(0, entry.count - 1);
  }

  async clear(key: string): Promise<void> {
    this.entries.delete(key);
  }

  private evict(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= MAX_KEYS) break;
      this.entries.delete(key);
    }
  }
}

/**
 * Each key is one Redis string (`INCR` + `PEXPIRE` in one MULTI, so no counter outlives its
 * window). While Redis does not answer, a per-process memory counter stands in: the limits
 * keep holding, per process, and logins keep working.
 */
export class RedisFailureCounter implements FailureCounter {
  private readonly fallback: MemoryFailureCounter;
  private readonly keys: RedisKeys;
  /** Decrements only a counter that exists, so a give-back never leaves a key without TTL. */
  private readonly decrementIfExists: RedisScript<number>;

  constructor(
    private readonly redis: RedisClient,
    keyPrefix: string,
    private readonly logger: Logger,
    now: () => number = Date.now,
  ) {
    this.fallback = new MemoryFailureCounter(now);
    this.keys = new RedisKeys(keyPrefix);
    this.decrementIfExists = defineScript(redis, 'src/state/scripts/decrement-if-exists.lua');
  }

  async add(key: string, windowMs: number): Promise<Count> {
    try {
      const results = await this.redis.multi().incr(this.key(key)).pexpire(this.key(key), windowMs).exec();
      const [incrError, count] = results?.[0] ?? [new Error('transaction aborted')];
      if (incrError) throw incrError;
      return { count: Number(count), ttlMs: windowMs };
    } catch (error) {
      this.logger.warn({ err: error }, 'login limiter: redis unavailable, counting in this process');
      return this.fallback.add(key, windowMs);
    }
  }

  async subtract(key: string): Promise<void> {
    await this.fallback.subtract(key);
    await this.decrementIfExists.run([this.key(key)], []).catch(() => undefined);
  }

  async clear(key: string): Promise<void> {
    await this.fallback.clear(key);
    await this.redis.del(this.key(key)).catch(() => undefined);
  }

  private key(key: string): string {
    return this.keys.loginFailures(key);
  }
}
