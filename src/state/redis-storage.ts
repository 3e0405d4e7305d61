import type { Storage, StoreItems } from 'botbuilder';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { StorageError } from '../errors.js';
import { ReadETags } from './read-etags.js';

/**
 * Compare-and-set in one round trip so two processes writing the same conversation cannot
 * both win: a write that names an eTag must match the stored one (or the key must be gone),
 * exactly like botbuilder's MemoryStorage. ARGV[1] '' or '*' writes unconditionally; the
 * storage sends the read eTag instead of BotState's '*' (see ReadETags). Every write slides
 * the idle expiry.
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

/**
 * botbuilder `Storage` on Redis with optimistic concurrency (eTags) and idle expiry. An item
 * read from this storage and written back is checked against the eTag it was read with, even
 * when BotState marks it '*'.
 */
export class RedisStorage implements Storage {
  private readonly redis: Redis;
  private readonly namespace: string;
  private readonly ttlMs: number;
  private readonly readETags = new ReadETags();

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
      if (doc === null) return;
      const item = { ...(JSON.parse(doc) as object), eTag };
      if (eTag !== null) this.readETags.remember(item, eTag);
      items[key] = item;
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    const newETags = entries.map(() => randomUUID());
    entries.forEach(([key, item], index) => {
      const { eTag: _ignored, ...document } = (item ?? {}) as { eTag?: unknown };
      pipeline.eval(
        WRITE_IF_MATCH,
        1,
        this.redisKey(key),
        this.readETags.expected(item) ?? '',
        JSON.stringify(document),
        newETags[index]!,
        String(this.ttlMs),
      );
    });
    const replies = await this.run(() => pipeline.exec(), 'write');
    entries.forEach(([key], index) => {
      const [error, written] = replies?.[index] ?? [null, 0];
      if (error) throw new StorageError('STORAGE_UNAVAILABLE', `Redis write of "${key}" failed`, { cause: error });
      if (written !== 1) {
        throw new StorageError('STORAGE_ETAG_CONFLICT', `Storage: error writing "${key}" due to eTag conflict.`);
      }
      // A second save in the same turn (a feature that ends the turn early) builds on this write.
      this.readETags.remember(changes[key], newETags[index]!);
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
