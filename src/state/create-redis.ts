import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.js';

/** Where carebot's Redis lives: one server (REDIS_URL) or the seed nodes of a Redis Cluster (REDIS_CLUSTER_NODES). */
export type RedisConnection = { readonly url: string } | { readonly clusterNodes: readonly { readonly host: string; readonly port: number }[] };

/** A connection to either; both speak the same commands, pipelines, scripts and pub/sub. */
export type RedisClient = Redis | Cluster;

/**
 * Opens a client to `connection` with `options` for every node. With a cluster the options
 * carebot sets per connection (offline queue, lazy connect) are the Cluster's own, the rest go
 * to each node; ioredis then routes every command by its key's slot (carebot's keys share one
 * hash tag, so multi-key commands and scripts stay on one node).
 */
export function openRedis(connection: RedisConnection, options: RedisOptions = {}): RedisClient {
  if ('url' in connection) return new Redis(connection.url, options);
  const { lazyConnect, enableOfflineQueue, retryStrategy, ...nodeOptions } = options;
  return new Cluster(
    connection.clusterNodes.map((node) => ({ ...node })),
    {
      ...(lazyConnect === undefined ? {} : { lazyConnect }),
      ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
      redisOptions: nodeOptions,
      ...(retryStrategy ? { clusterRetryStrategy: retryStrategy } : {}),
    },
  );
}

/**
 * A Redis connection for request-path work: commands fail fast while Redis is away (no
 * offline queue), so a turn errors and apologises instead of hanging, and /readyz reports it.
 * ioredis keeps reconnecting in the background.
 */
export function createRedis(connection: RedisConnection, logger: Logger, options: RedisOptions = {}): RedisClient {
  const redis = openRedis(connection, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...options,
  });
  let wasReady = false;
  redis.on('ready', () => {
    if (wasReady) logger.info('redis reconnected');
    wasReady = true;
  });
  redis.on('error', (error: unknown) => logger.warn({ err: error }, 'redis connection error'));
  return redis;
}

/**
 * A connection for BullMQ workers and pub/sub subscribers: it blocks or subscribes, so it is
 * never shared, and it retries forever (`maxRetriesPerRequest: null`, BullMQ's connection guide).
 */
export function createBlockingRedis(connection: RedisConnection, logger: Logger, purpose: string): RedisClient {
  const redis = openRedis(connection, { maxRetriesPerRequest: null });
  redis.on('error', (error: unknown) => logger.warn({ err: error }, `${purpose} connection error`));
  return redis;
}
