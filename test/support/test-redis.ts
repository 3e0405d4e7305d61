import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startPrivateRedis, type PrivateRedis } from './redis-server.js';

let shared: PrivateRedis | undefined;
let sharedUrl: string | undefined;

/** Called once by the root hook: uses REDIS_URL when set, otherwise starts a private redis-server. */
export async function startTestRedis(): Promise<void> {
  if (process.env.REDIS_URL) {
    sharedUrl = process.env.REDIS_URL;
    return;
  }
  shared = await startPrivateRedis();
  sharedUrl = shared.url;
}

export async function stopTestRedis(): Promise<void> {
  await shared?.destroy();
  shared = undefined;
}

export function testRedisUrl(): string {
  if (!sharedUrl) throw new Error('The test Redis is not running (test/setup/root-hooks.ts starts it)');
  return sharedUrl;
}

/** A unique key prefix per test, so tests never touch each other's (or anyone's) keys. */
export function uniquePrefix(): string {
  return `test-${randomUUID()}`;
}

/** Removes every key under `prefix` (SCAN + DEL; never FLUSHDB, the server may be shared). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

export function connectTestRedis(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
}
