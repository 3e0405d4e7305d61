import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.js';

/**
 * A Redis connection for request-path work: commands fail fast while Redis is away (no
 * offline queue), so a turn errors and apologises instead of hanging, and /readyz reports it.
 * ioredis keeps reconnecting in the background.
 */
export function createRedis(url: string, logger: Logger, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
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
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  return redis;
}
