import type { RedisClient } from '../../src/state/create-redis.js';
import { RedisKeys } from '../../src/state/redis-keys.js';

/** WhatsApp's customer-service window: free-form messages only within 24 hours of the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** When each customer last wrote, for as long as it matters (the window), and no longer. */
export interface ServiceWindowStore {
  /** The customer `waId` just wrote: the window opens (again) for 24 hours. */
  touch(waId: string): Promise<void>;
  isOpen(waId: string): Promise<boolean>;
  /** Erasure: resolves with how many records went. */
  erase(waId: string): Promise<number>;
}

export class MemoryServiceWindowStore implements ServiceWindowStore {
  private readonly lastInbound = new Map<string, number>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  async touch(waId: string): Promise<void> {
    const now = this.now();
    if (this.lastInbound.size > 10_000) for (const [id, at] of this.lastInbound) if (now - at >= SERVICE_WINDOW_MS) this.lastInbound.delete(id);
    this.lastInbound.set(waId, now);
  }

  async isOpen(waId: string): Promise<boolean> {
    const at = this.lastInbound.get(waId);
    return at !== undefined && this.now() - at < SERVICE_WINDOW_MS;
  }

  async erase(waId: string): Promise<number> {
    return this.lastInbound.delete(waId) ? 1 : 0;
  }
}

/** Shared by every process: `SET <prefix>:wa-cloud:window:<wa_id> 1 PX 24h`, so the key's life is the window. */
export class RedisServiceWindowStore implements ServiceWindowStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
  ) {}

  async touch(waId: string): Promise<void> {
    await this.redis.set(this.key(waId), '1', 'PX', SERVICE_WINDOW_MS);
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
