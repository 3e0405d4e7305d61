import { createHmac } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** Ids of this many recent users and conversations keep their hash: a conversation's every turn asks for the same two. */
export const REMEMBERED_KEYS = 10_000;

/**
 * Analytics never stores raw user or conversation ids (a WhatsApp id is a phone number): it
 * stores a keyed hash (HMAC-SHA256 with the installation's secret), and export/delete hash the
 * id they are given the same way. An unkeyed hash would not protect a phone number: there are
 * few enough Hong Kong mobile numbers to hash them all in a minute and look the ids up.
 */
export class AnalyticsKeys {
  // Every recorded turn hashes its user and conversation: an HMAC each was ~2.5% of a turn.
  // The ids are in the bot's state in memory anyway; the bound keeps the map's size fixed.
  private readonly remembered = new LRUCache<string, string>({ max: REMEMBERED_KEYS });

  constructor(private readonly secret: string | Buffer) {
    if (secret.length < 16) throw new Error('the analytics hash secret must be at least 16 bytes');
  }

  user(userId: string): string {
    return this.hash(`user:${userId}`);
  }

  conversation(channelId: string, conversationId: string): string {
    return this.hash(`conversation:${channelId}/${conversationId}`);
  }

  /**
   * Forgets every remembered id: an erased user's raw id (a phone number) must not stay in memory.
   * All of them, because which conversations were the user's is not known here; hashing again is cheap.
   */
  forgetAll(): void {
    this.remembered.clear();
  }

  /** How many hashes are remembered (bounded by REMEMBERED_KEYS). */
  get rememberedCount(): number {
    return this.remembered.size;
  }

  private hash(value: string): string {
    let hashed = this.remembered.get(value);
    if (hashed === undefined) {
      hashed = createHmac('sha256', this.secret).update(value).digest('hex').slice(0, 32);
      this.remembered.set(value, hashed);
    }
    return hashed;
  }
}
