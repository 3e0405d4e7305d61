import type { RedisClient } from '../../src/state/create-redis.js';
import { RedisKeys } from '../../src/state/redis-keys.js';

/** Remembers inbound message ids for a while, so a redelivered message is answered once. */
export interface DedupeStore {
  /** True the first time `id` is seen within the TTL, false for a redelivery. */
  firstSeen(id: string): Promise<boolean>;
}

/** One process's memory: enough for WeChat and WhatsApp, which hold their session in one process. */
export class MemoryDedupeStore implements DedupeStore {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async firstSeen(id: string): Promise<boolean> {
    const now = this.now();
    if (this.seen.size > 10_000) for (const [key, expires] of this.seen) if (expires <= now) this.seen.delete(key);
    const expires = this.seen.get(id);
    if (expires !== undefined && expires > now) return false;
    this.seen.set(id, now + this.ttlMs);
    return true;
  }
}

/** Shared across restarts and processes: `SET <prefix>:dedupe:<id> 1 NX PX <ttl>`. */
export class RedisDedupeStore implements DedupeStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  async firstSeen(id: string): Promise<boolean> {
    const result = await this.redis.set(new RedisKeys(this.keyPrefix).dedupe(id), '1', 'PX', this.ttlMs, 'NX');
    return result === 'OK';
  }
}

/** Redis when the deployment has one (survives restarts), otherwise this process's memory. */
export function createDedupeStore(redis: RedisClient | undefined, keyPrefix: string, ttlSeconds: number): DedupeStore {
  return redis ? new RedisDedupeStore(redis, keyPrefix, ttlSeconds * 1000) : new MemoryDedupeStore(ttlSeconds * 1000);
}
