import type { RedisClient } from './create-redis.js';
import { randomUUID } from 'node:crypto';
import { StorageError } from '../errors.js';
import type { Logger } from '../logger.js';
import { defineScript, type RedisScript } from './lua-script.js';
import { RedisKeys } from './redis-keys.js';

/** Lets one turn of a conversation run at a time across every process that shares a store. */
export interface TurnLock {
  /** Waits until this caller holds `conversation`'s lock; the returned function releases it. */
  acquire(conversation: string): Promise<() => Promise<void>>;
}

export interface RedisTurnLockOptions {
  redis: RedisClient;
  /** Hash-tagged key prefix, e.g. `{carebot}`; locks live at `<prefix>:turn-lock:<conversation>`. */
  keyPrefix: string;
  logger: Logger;
  /** How long a lock outlives a turn that never releases it (a crashed process). */
  leaseMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A Redis lease per conversation (SET NX PX, released by its owner only), so two processes
 * answering one conversation take turns instead of racing on its state; the eTag check on every
 * state save stays the safety net for a turn that outlives its lease. A waiter that still has no
 * lock after two leases runs anyway, with a warning: a stuck lock must not silence a conversation.
 */
export class RedisTurnLock implements TurnLock {
  private readonly redis: RedisClient;
  private readonly keys: RedisKeys;
  /** Deletes the lock only while it is still the caller's (a lapsed lease may have passed to another turn). */
  private readonly releaseIfOwner: RedisScript<number>;
  private readonly logger: Logger;
  private readonly leaseMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: RedisTurnLockOptions) {
    this.redis = options.redis;
    this.keys = new RedisKeys(options.keyPrefix);
    this.releaseIfOwner = defineScript(options.redis, 'src/state/scripts/delete-if-equal.lua');
    this.logger = options.logger;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async acquire(conversation: string): Promise<() => Promise<void>> {
    const key = this.keys.turnLock(conversation);
    const token = randomUUID();
    const giveUpAt = Date.now() + 2 * this.leaseMs;
    for (let attempt = 0; ; attempt += 1) {
      const taken = await this.run(() => this.redis.set(key, token, 'PX', this.leaseMs, 'NX'));
      if (taken === 'OK') break;
      if (Date.now() > giveUpAt) {
        this.logger.warn({ conversation }, 'turn lock still held after two leases; running the turn unlocked (state saves stay eTag-checked)');
        return async () => undefined;
      }
      await this.sleep(Math.min(5 * 2 ** attempt, 100));
    }
    return async () => {
      await this.run(() => this.releaseIfOwner.run([key], [token])).catch((error: unknown) =>
        // The lease lapses on its own; the next turn waits at most that long.
        this.logger.warn({ err: error, conversation }, 'could not release the turn lock'),
      );
    };
  }

  private async run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new StorageError('STORAGE_UNAVAILABLE', `Redis turn lock failed: ${(error as Error).message}`, { cause: error });
    }
  }
}
