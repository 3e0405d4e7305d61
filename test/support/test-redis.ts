import { randomUUID } from 'node:crypto';
import { Redis, type Cluster } from 'ioredis';
import type { RedisClient } from '../../src/state/create-redis.js';
import { hashTaggedPrefix } from '../../src/state/redis-keys.js';
import { connectCluster, startPrivateRedisCluster, type PrivateRedisCluster } from './redis-cluster.js';
import { startPrivateRedis, type PrivateRedis } from './redis-server.js';

let shared: PrivateRedis | undefined;
let sharedUrl: string | undefined;
let sharedCluster: Promise<PrivateRedisCluster> | undefined;

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
  const cluster = sharedCluster;
  sharedCluster = undefined;
  await (await cluster?.catch(() => undefined))?.destroy();
}

export function testRedisUrl(): string {
  if (!sharedUrl) throw new Error('The test Redis is not running (test/setup/root-hooks.ts starts it)');
  return sharedUrl;
}

/**
 * The run's Redis Cluster (three masters), started by the first suite that asks and stopped by
 * the root hook's afterAll; REDIS_CLUSTER_NODES names one of your own instead. Call it from a
 * `before` hook with a generous timeout: the nodes take a few seconds to agree on the slots.
 */
export async function testRedisCluster(): Promise<PrivateRedisCluster> {
  const seeds = process.env.REDIS_CLUSTER_NODES;
  if (seeds) {
    const nodes = seeds.split(',').map((seed) => ({ host: seed.split(':')[0] ?? '', port: Number(seed.split(':')[1]) }));
    return { nodes, seeds, destroy: async () => undefined };
  }
  sharedCluster ??= startPrivateRedisCluster();
  return sharedCluster;
}

/** A client of the run's cluster; call after `testRedisCluster()` resolved. */
export async function connectTestCluster(options: { blocking?: boolean } = {}): Promise<Cluster> {
  return connectCluster(await testRedisCluster(), options);
}

/** The name part of a key prefix (what REDIS_KEY_PREFIX takes): `{test-…}` → `test-…`. */
export function prefixName(prefix: string): string {
  return prefix.slice(1, -1);
}

/**
 * A unique key prefix per test, so tests never touch each other's (or anyone's) keys. It is
 * hash-tagged like the app's (`{test-…}`), so the same tests run on a Redis Cluster.
 */
export function uniquePrefix(): string {
  return hashTaggedPrefix(`test-${randomUUID()}`);
}

/** Removes every key under `prefix` (SCAN + DEL on every master; never FLUSHDB, the server may be shared). */
/** Every key under `prefix`, on every master. */
export async function scanKeys(redis: RedisClient, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for (const server of redis instanceof Redis ? [redis] : redis.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
  }
  return found;
}

export async function deleteKeys(redis: RedisClient, prefix: string): Promise<void> {
  const servers: Redis[] = redis instanceof Redis ? [redis] : redis.nodes('master');
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await server.del(...keys);
    } while (cursor !== '0');
  }
}

export function connectTestRedis(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
}

/**
 * A describe block whose tests run against the run's Redis Cluster: its `before` starts the
 * cluster (once per run) with a budget of its own, generous for a busy machine.
 */
export function describeOnRedisCluster(title: string, body: (cluster: () => PrivateRedisCluster) => void): void {
  describe(`${title} on a Redis Cluster`, () => {
    let cluster: PrivateRedisCluster | undefined;
    before(async function () {
      this.timeout(120_000);
      cluster = await testRedisCluster();
    });
    body(() => {
      if (!cluster) throw new Error('the Redis Cluster did not start (see the before hook)');
      return cluster;
    });
  });
}
