import type { Storage, StoreItems } from 'botbuilder';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { StorageError } from '../errors.js';

/**
 * Compare-and-set in one round trip so two processes writing the same conversation cannot
 * both win: a write that names an eTag must match the stored one (or the key must be gone),
 * exactly like botbuilder's MemoryStorage. Every write slides the idle expiry.
 */
const WRITE_IF_MATCH = `
local current = redis.call('HGET', KEYS[1], 'etag')
if ARGV[1] ~= '' and ARGV[1] ~= '*' and current and current ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'etag', ARGV[3], 'doc', ARGV[2])
if tonumber(ARGV[4]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
else
  redis.call('PERSIST', KEYS[1])
end
return 1
`;

export interface RedisStorageOptions {
  redis: Redis;
  /** Namespace for this store's keys, e.g. `carebot:conversation`. */
  namespace: string;
  /** Idle lifetime of an item; 0 keeps it forever. */
  ttlMs: number;
}

/** botbuilder `Storage` on Redis with optimistic concurrency (eTags) and idle expiry. */
export class RedisStorage implements Storage {
  private readonly redis: Redis;
  private readonly namespace: string;
  private readonly ttlMs: number;

  constructor(options: RedisStorageOptions) {
    this.redis = options.redis;
    this.namespace = options.namespace;
    this.ttlMs = options.ttlMs;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hmget(this.redisKey(key), 'doc', 'etag');
    const replies = await this.run(() => pipeline.exec(), 'read');
    const items: StoreItems = {};
    keys.forEach((key, index) => {
      const [error, fields] = replies?.[index] ?? [null, null];
      if (error) throw new StorageError('STORAGE_UNAVAILABLE', `Redis read of "${key}" failed`, { cause: error });
      const [doc, eTag] = (fields ?? []) as [string | null, string | null];
      if (doc !== null) items[key] = { ...(JSON.parse(doc) as object), eTag };
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [key, item] of entries) {
      const { eTag, ...document } = (item ?? {}) as { eTag?: unknown };
      pipeline.eval(
        WRITE_IF_MATCH,
        1,
        this.redisKey(key),
        typeof eTag === 'string' ? eTag : '',
        JSON.stringify(document),
        randomUUID(),
        String(this.ttlMs),
      );
    }
    const replies = await this.run(() => pipeline.exec(), 'write');
    entries.forEach(([key], index) => {
      const [error, written] = replies?.[index] ?? [null, 0];
      if (error) throw new StorageError('STORAGE_UNAVAILABLE', `Redis write of "${key}" failed`, { cause: error });
      if (written !== 1) {
        throw new StorageError('STORAGE_ETAG_CONFLICT', `Storage: error writing "${key}" due to eTag conflict.`);
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.run(() => this.redis.del(...keys.map((key) => this.redisKey(key))), 'delete');
  }

  private redisKey(key: string): string {
    return `${this.namespace}:${key}`;
  }

  private async run<T>(operation: () => Promise<T>, verb: string): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new StorageError('STORAGE_UNAVAILABLE', `Redis ${verb} failed: ${(error as Error).message}`, { cause: error });
    }
  }
}
