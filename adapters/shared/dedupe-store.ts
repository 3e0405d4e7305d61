import { LRUCache } from 'lru-cache';
import type { RedisClient } from '../../src/state/create-redis.js';
import { RedisKeys } from '../../src/state/redis-keys.js';
import { messageIdDigest } from './message-digest.js';

/** Remembers inbound message ids for a while, so a redelivered message is answered once. */
export interface DedupeStore {
  /** True the first time `id` is seen within the TTL, false for a redelivery. */
  firstSeen(id: string): Promise<boolean>;
}

/** What a store keeps for `<channel>:<message id>`: the channel, and the id's digest (`messageIdDigest`). */
export function dedupeDigest(id: string): string {
  const colon = id.indexOf(':');
  return `${id.slice(0, colon + 1)}${messageIdDigest(id.slice(colon + 1))}`;
}

/** Platforms redeliver within minutes; past this many ids the longest-remembered go first, whatever their TTL. */
const MAX_REMEMBERED_IDS = 100_000;

/** One process's memory: enough for WeChat and WhatsApp, which hold their session in one process. */
export class MemoryDedupeStore implements DedupeStore {
  private readonly seen: LRUCache<string, true>;

  constructor(ttlMs: number, now: () => number = () => Date.now(), maxIds = MAX_REMEMBERED_IDS) {
    this.seen = new LRUCache({ max: maxIds, ttl: ttlMs, ttlResolution: 0, perf: { now } });
  }

  async firstSeen(id: string): Promise<boolean> {
    const digest = dedupeDigest(id);
    if (this.seen.has(digest)) return false;
    this.seen.set(digest, true);
    return true;
  }
}

/** Shared across restarts and processes: `SET <prefix>:dedupe:<channel>:<digest> 1 NX PX <ttl>`. */
export class RedisDedupeStore implements DedupeStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  async firstSeen(id: string): Promise<boolean> {
    const result = await this.redis.set(new RedisKeys(this.keyPrefix).dedupe(dedupeDigest(id)), '1', 'PX', this.ttlMs, 'NX');
    return result === 'OK';
  }
}

/** Redis when the deployment has one (survives restarts), otherwise this process's memory. */
export function createDedupeStore(redis: RedisClient | undefined, keyPrefix: string, ttlSeconds: number): DedupeStore {
  return redis ? new RedisDedupeStore(redis, keyPrefix, ttlSeconds * 1000) : new MemoryDedupeStore(ttlSeconds * 1000);
}
