import { LRUCache } from 'lru-cache';
import type { RedisClient } from '../../src/state/create-redis.js';
import { RedisKeys } from '../../src/state/redis-keys.js';

/** WhatsApp's customer-service window: free-form messages only within 24 hours of the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** When each customer last wrote, for as long as it matters (the window), and no longer. */
export interface ServiceWindowStore {
  /**
   * The customer `waId` wrote at `wroteAt` (epoch ms, the message's own timestamp): the window
   * stays open until 24 hours after it. It only ever moves forward, so a redelivered old message
   * cannot reopen or stretch it.
   */
  touch(waId: string, wroteAt: number): Promise<void>;
  isOpen(waId: string): Promise<boolean>;
  /** Erasure: resolves with how many records went. */
  erase(waId: string): Promise<number>;
}

/**
 * Customers whose window one process keeps open; past it the least recently written-to lose
 * theirs early, and the bot sends them a template, as it may outside the window.
 */
const MAX_OPEN_WINDOWS = 100_000;

export class MemoryServiceWindowStore implements ServiceWindowStore {
  /** wa_id → when the customer last wrote, forgotten when the window closes. */
  private readonly lastInbound: LRUCache<string, number>;

  constructor(
    private readonly now: () => number = () => Date.now(),
    maxWindows = MAX_OPEN_WINDOWS,
  ) {
    this.lastInbound = new LRUCache({ max: maxWindows, ttlResolution: 0, perf: { now } });
  }

  async touch(waId: string, wroteAt: number): Promise<void> {
    const now = this.now();
    const at = Math.max(Math.min(wroteAt, now), this.lastInbound.get(waId) ?? 0);
    if (now - at >= SERVICE_WINDOW_MS) return;
    this.lastInbound.set(waId, at, { ttl: at + SERVICE_WINDOW_MS - now });
  }

  async isOpen(waId: string): Promise<boolean> {
    const at = this.lastInbound.get(waId);
    return at !== undefined && this.now() - at < SERVICE_WINDOW_MS;
  }

  async erase(waId: string): Promise<number> {
    return this.lastInbound.delete(waId) ? 1 : 0;
  }
}

/** Shared by every process: `<prefix>:wa-cloud:window:<wa_id>` expires when the window closes, so the key's life is the window. */
export class RedisServiceWindowStore implements ServiceWindowStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async touch(waId: string, wroteAt: number): Promise<void> {
    const closesAt = Math.min(wroteAt, this.now()) + SERVICE_WINDOW_MS;
    if (closesAt <= this.now()) return;
    const key = this.key(waId);
    // Opens the window, or moves its end later (GT): never earlier, whatever order messages arrive in.
    if ((await this.redis.set(key, '1', 'PXAT', closesAt, 'NX')) !== 'OK') await this.redis.pexpireat(key, closesAt, 'GT');
  }

  async isOpen(waId: string): Promise<boolean> {
    return (await this.redis.exists(this.key(waId))) === 1;
  }

  async erase(waId: string): Promise<number> {
    return this.redis.del(this.key(waId));
  }

  private key(waId: string): string {
    return new RedisKeys(this.keyPrefix).whatsappCloudWindow(waId);
  }
}
