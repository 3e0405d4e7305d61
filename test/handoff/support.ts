import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Locale } from '../../src/config.js';
import { BullmqHandoffQueue } from '../../src/handoff/queue/bullmq-handoff-queue.js';
import type { HandoffQueue } from '../../src/handoff/queue/handoff-queue.js';
import { MemoryHandoffQueue } from '../../src/handoff/queue/memory-handoff-queue.js';
import type { HandoffPayload, NewHandoff } from '../../src/handoff/types.js';
import { memoryLogger } from '../support/silent-logger.js';
import type { RedisClient } from '../../src/state/create-redis.js';
import { connectCluster, type PrivateRedisCluster } from '../support/redis-cluster.js';
import { deleteKeys, uniquePrefix } from '../support/test-redis.js';

/** A clock tests move by hand. */
export function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms) => (offset += ms) };
}

export interface QueueFixture {
  queue: HandoffQueue;
  advance(ms: number): void;
  close(): Promise<void>;
}

export type QueueFactory = (options?: { leaseMs?: number }) => Promise<QueueFixture>;

export function memoryQueueFactory(): QueueFactory {
  return async (options = {}) => {
    const clock = manualClock();
    const queue = new MemoryHandoffQueue({ leaseMs: options.leaseMs ?? 10_000, now: clock.now });
    return { queue, advance: clock.advance, close: () => queue.close() };
  };
}

/** Opens a producer or (`blocking`) a worker connection to one Redis or a Redis Cluster. */
export type ConnectRedis = (options: { blocking: boolean }) => RedisClient;

/** A single Redis at `url()`. */
export function connectRedisAt(url: () => string): ConnectRedis {
  return ({ blocking }) => new Redis(url(), { maxRetriesPerRequest: blocking ? null : 1 });
}

/** The test run's Redis Cluster (`testRedisCluster()` must have resolved). */
export function connectTestClusterNow(cluster: () => PrivateRedisCluster): ConnectRedis {
  return ({ blocking }) => connectCluster(cluster(), { blocking });
}

/** Queues on Redis; pass `prefix` to give two queues the same keys (two processes). */
export function redisQueueFactory(connect: ConnectRedis, prefix?: string): QueueFactory {
  return async (options = {}) => {
    const clock = manualClock();
    const keyPrefix = prefix ?? uniquePrefix();
    const redis = connect({ blocking: false });
    const workers: RedisClient[] = [];
    const queue = new BullmqHandoffQueue({
      redis,
      keyPrefix,
      leaseMs: options.leaseMs ?? 10_000,
      now: clock.now,
      logger: memoryLogger('silent').logger,
      createWorkerConnection: () => {
        const connection = connect({ blocking: true });
        workers.push(connection);
        return connection;
      },
    });
    return {
      queue,
      advance: clock.advance,
      async close() {
        await queue.close();
        await deleteKeys(redis, keyPrefix);
        await redis.quit();
      },
    };
  };
}

export function payload(overrides: Partial<HandoffPayload> = {}): HandoffPayload {
  return {
    reference: { channelId: 'test', conversation: { id: `c-${randomUUID()}`, isGroup: false, conversationType: 'personal', name: '' } },
    channelId: 'test',
    customer: { id: 'u1', locale: 'en' },
    reason: 'explicit',
    skill: 'general',
    intentsSeen: [],
    sentimentTrend: [],
    slots: {},
    summary: { wants: 'help', entities: [], lastMessage: 'help' },
    transcript: [],
    ...overrides,
  };
}

export function newHandoff(overrides: Partial<NewHandoff> & { language?: Locale } = {}): NewHandoff {
  return { id: randomUUID(), skill: 'general', language: 'en', priority: 5, payload: payload(), ...overrides };
}
