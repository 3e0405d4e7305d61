import type { RedisClient } from '../state/create-redis.js';
import type { TranscriptEntry } from './types.js';
import { RedisKeys } from '../state/redis-keys.js';

/** The last turns of each conversation, for the handoff payload. */
export interface TranscriptStore {
  append(conversationKey: string, entry: TranscriptEntry): Promise<void>;
  recent(conversationKey: string): Promise<TranscriptEntry[]>;
  /** Erasure: forgets a conversation's transcript; resolves with whether there was one. */
  erase(conversationKey: string): Promise<boolean>;
}

export class MemoryTranscriptStore implements TranscriptStore {
  private readonly byConversation = new Map<string, TranscriptEntry[]>();

  constructor(private readonly keep: number) {}

  async append(conversationKey: string, entry: TranscriptEntry): Promise<void> {
    const list = this.byConversation.get(conversationKey) ?? [];
    list.push(entry);
    if (list.length > this.keep) list.splice(0, list.length - this.keep);
    // Map order = least recently written first: forget the oldest conversations beyond a bound.
    this.byConversation.delete(conversationKey);
    this.byConversation.set(conversationKey, list);
    if (this.byConversation.size > 10_000) this.byConversation.delete(this.byConversation.keys().next().value as string);
  }

  async recent(conversationKey: string): Promise<TranscriptEntry[]> {
    return [...(this.byConversation.get(conversationKey) ?? [])];
  }

  async erase(conversationKey: string): Promise<boolean> {
    return this.byConversation.delete(conversationKey);
  }
}

export class RedisTranscriptStore implements TranscriptStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly keep: number,
    private readonly ttlSeconds: number,
  ) {}

  async append(conversationKey: string, entry: TranscriptEntry): Promise<void> {
    const key = new RedisKeys(this.keyPrefix).transcript(conversationKey);
    await this.redis.multi().rpush(key, JSON.stringify(entry)).ltrim(key, -this.keep, -1).expire(key, this.ttlSeconds).exec();
  }

  async recent(conversationKey: string): Promise<TranscriptEntry[]> {
    const list = await this.redis.lrange(new RedisKeys(this.keyPrefix).transcript(conversationKey), 0, -1);
    return list.map((raw) => JSON.parse(raw) as TranscriptEntry);
  }

  async erase(conversationKey: string): Promise<boolean> {
    return (await this.redis.del(new RedisKeys(this.keyPrefix).transcript(conversationKey))) > 0;
  }
}
