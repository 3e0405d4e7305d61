import type { Storage, StoreItems } from 'botbuilder';
import type { RedisClient } from './create-redis.js';
import { randomUUID } from 'node:crypto';
import { StorageError } from '../errors.js';
import { defineScript, type RedisScript } from './lua-script.js';
import { ReadETags } from './read-etags.js';
import { rememberReadJson, stateSnapshot, takeWriteJson } from './state-json.js';

/** Compare-and-set of one item (its header says how); `readETags` supplies the eTag it was read with. */
const WRITE_IF_MATCH = 'src/state/scripts/write-if-match.lua';

export interface RedisStorageOptions {
  redis: RedisClient;
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
  private readonly redis: RedisClient;
  private readonly namespace: string;
  private readonly ttlMs: number;
  private readonly readETags = new ReadETags();
  private readonly writeIfMatch: RedisScript<number>;

  constructor(options: RedisStorageOptions) {
    this.redis = options.redis;
    this.namespace = options.namespace;
    this.ttlMs = options.ttlMs;
    this.writeIfMatch = defineScript(options.redis, WRITE_IF_MATCH);
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
      const item = JSON.parse(doc) as Record<string, unknown>;
      item.eTag = eTag;
      if (eTag !== null) this.readETags.remember(item, eTag);
      // The state compares its turn's changes with this JSON (state-json.ts).
      rememberReadJson(item, doc);
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
      const document = takeWriteJson(item) ?? stateSnapshot((item ?? {}) as Record<string, unknown>);
      this.writeIfMatch.addTo(pipeline, [this.redisKey(key)], [this.readETags.expected(item) ?? '', document, newETags[index]!, this.ttlMs]);
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
