import type { Storage } from 'botbuilder';
import type { RedisClient } from './create-redis.js';
import { ExpiringMemoryStorage } from './expiring-memory-storage.js';
import type { Logger } from '../logger.js';
import { RedisKeys } from './redis-keys.js';
import { RedisStorage } from './redis-storage.js';
import { RedisTurnLock, type TurnLock } from './redis-turn-lock.js';

export interface StateStorages {
  conversation: Storage;
  user: Storage;
  /** Takes turns on a conversation across processes; undefined in memory (one process, ordered already). */
  turnLock: TurnLock | undefined;
  /** Drops expired in-memory items; a no-op for Redis, which expires keys itself. */
  sweep(): void;
}

export interface StateStorageOptions {
  redis: RedisClient | undefined;
  keyPrefix: string;
  conversationTtlSeconds: number;
  userTtlSeconds: number;
  logger: Logger;
}

/** Conversation and user state: Redis when configured, otherwise in memory (the embedded default). */
export function createStateStorages(options: StateStorageOptions): StateStorages {
  const conversationTtlMs = options.conversationTtlSeconds * 1000;
  const userTtlMs = options.userTtlSeconds * 1000;
  if (options.redis) {
    const keys = new RedisKeys(options.keyPrefix);
    return {
      conversation: new RedisStorage({ redis: options.redis, namespace: keys.conversationState, ttlMs: conversationTtlMs }),
      user: new RedisStorage({ redis: options.redis, namespace: keys.userState, ttlMs: userTtlMs }),
      turnLock: new RedisTurnLock({ redis: options.redis, keyPrefix: options.keyPrefix, logger: options.logger }),
      sweep: () => undefined,
    };
  }
  const conversation = new ExpiringMemoryStorage({ ttlMs: conversationTtlMs });
  const user = new ExpiringMemoryStorage({ ttlMs: userTtlMs });
  return {
    conversation,
    user,
    turnLock: undefined,
    sweep: () => {
      conversation.sweep();
      user.sweep();
    },
  };
}
