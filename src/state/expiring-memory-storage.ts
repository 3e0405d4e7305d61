import { MemoryStorage, type StoreItems } from 'botbuilder';
import { StorageError } from '../errors.js';
import { ReadETags } from './read-etags.js';
import { rememberReadJson, stateSnapshot, takeWriteJson } from './state-json.js';

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
  /** The eTag of each stored item, as written into its JSON. */
  private readonly currentETags = new Map<string, string>();

  constructor(options: ExpiringMemoryStorageOptions) {
    super();
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
  }

  /**
   * Each item is kept as its JSON without the eTag (what BotState compares, see state-json.ts)
   * and its eTag beside it: a read hands the JSON on with the parsed item, so the state need not
   * build it again, and a write stores the JSON the save has just compared.
   */
  override async read(keys: string[]): Promise<StoreItems> {
    this.dropExpired(keys);
    const items: StoreItems = {};
    for (const key of keys) {
      const json = this.memory[key] as string | undefined;
      if (!json) continue;
      const item = JSON.parse(json) as Record<string, unknown>;
      const eTag = this.currentETags.get(key);
      if (eTag !== undefined) {
        item.eTag = eTag;
        this.readETags.remember(item, eTag);
      }
      rememberReadJson(item, json);
      items[key] = item;
    }
    return items;
  }

  /**
   * MemoryStorage's write (eTag check, then a JSON copy under a new eTag), with each item's
   * current eTag kept beside its JSON: MemoryStorage parsed the stored JSON again to read the
   * old eTag, and the new one had to be parsed back out too, two full parses of the state per save.
   */
  override async write(changes: StoreItems): Promise<void> {
    const keys = Object.keys(changes);
    this.dropExpired(keys);
    const at = this.now();
    let conflict: string | undefined;
    for (const key of keys) {
      const item = changes[key] as Record<string, unknown>;
      const expected = this.readETags.expected(item) ?? '*';
      if (this.memory[key] && expected !== '*' && expected !== this.currentETags.get(key)) {
        // Like MemoryStorage: the first conflict fails the write, the other keys are still written.
        conflict ??= `Storage: error writing "${key}" due to eTag conflict.`;
        continue;
      }
      const eTag = (this.etag++).toString();
      this.memory[key] = takeWriteJson(item) ?? stateSnapshot(item);
      this.currentETags.set(key, eTag);
      this.touchedAt.set(key, at);
      // A second save in the same turn builds on this write.
      this.readETags.remember(item, eTag);
    }
    if (conflict) throw new StorageError('STORAGE_ETAG_CONFLICT', conflict);
  }

  override async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      this.touchedAt.delete(key);
      this.currentETags.delete(key);
    }
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
        this.currentETags.delete(key);
        delete this.memory[key];
        dropped += 1;
      }
    }
    return dropped;
  }
}
