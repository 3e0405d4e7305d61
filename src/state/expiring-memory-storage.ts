import { MemoryStorage, type StoreItems } from 'botbuilder';
import { StorageError } from '../errors.js';
import { ReadETags } from './read-etags.js';

export interface ExpiringMemoryStorageOptions {
  /** Idle lifetime of an item; 0 keeps it forever. */
  ttlMs: number;
  now?: () => number;
}

/**
 * botbuilder's MemoryStorage (the embedded default) plus the idle expiry the Redis storage
 * has, so a long-running `npm start` does not keep every conversation it ever saw.
 * Expired items are dropped lazily on access and by `sweep()`, which the owner may schedule.
 * Like the Redis storage, an item read here and written back with BotState's '*' is checked
 * against the eTag it was read with.
 */
export class ExpiringMemoryStorage extends MemoryStorage {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly touchedAt = new Map<string, number>();
  private readonly readETags = new ReadETags();

  constructor(options: ExpiringMemoryStorageOptions) {
    super();
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
  }

  override async read(keys: string[]): Promise<StoreItems> {
    this.dropExpired(keys);
    const items = await super.read(keys);
    for (const item of Object.values(items)) {
      const eTag = (item as { eTag?: unknown }).eTag;
      if (typeof eTag === 'string') this.readETags.remember(item, eTag);
    }
    return items;
  }

  override async write(changes: StoreItems): Promise<void> {
    const keys = Object.keys(changes);
    this.dropExpired(keys);
    const checked: StoreItems = {};
    for (const key of keys) checked[key] = { ...changes[key], eTag: this.readETags.expected(changes[key]) ?? '*' };
    try {
      await super.write(checked);
    } catch (error) {
      const message = (error as Error).message;
      if (message.includes('eTag conflict')) throw new StorageError('STORAGE_ETAG_CONFLICT', message, { cause: error });
      throw error;
    }
    const at = this.now();
    for (const key of keys) {
      this.touchedAt.set(key, at);
      // A second save in the same turn builds on this write.
      const stored = this.memory[key];
      if (stored) this.readETags.remember(changes[key], (JSON.parse(stored) as { eTag: string }).eTag);
    }
  }

  override async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.touchedAt.delete(key);
    await super.delete(keys);
  }

  /** Removes every expired item; returns how many went. */
  sweep(): number {
    return this.dropExpired([...this.touchedAt.keys()]);
  }

  private dropExpired(keys: string[]): number {
    if (this.ttlMs <= 0) return 0;
    const cutoff = this.now() - this.ttlMs;
    let dropped = 0;
    for (const key of keys) {
      const touched = this.touchedAt.get(key);
      if (touched !== undefined && touched <= cutoff) {
        this.touchedAt.delete(key);
        delete this.memory[key];
        dropped += 1;
      }
    }
    return dropped;
  }
}
