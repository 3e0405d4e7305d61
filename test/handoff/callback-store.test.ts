import { expect } from 'chai';
import { Redis } from 'ioredis';
import { MemoryCallbackStore } from '../../src/handoff/callbacks/callback-store.js';
import { RedisCallbackStore } from '../../src/handoff/callbacks/redis-callback-store.js';
import { connectCluster } from '../support/redis-cluster.js';
import { deleteKeys, describeOnRedisCluster, testRedisUrl, uniquePrefix } from '../support/test-redis.js';
import { callbackStoreContract, newCallback } from './callback-store.contract.js';
import { manualClock } from './support.js';

callbackStoreContract('in-process', async (ttlMs) => {
  const clock = manualClock();
  return { store: new MemoryCallbackStore({ ttlMs, now: clock.now }), advance: clock.advance, close: async () => undefined };
});

callbackStoreContract('Redis', async (ttlMs) => {
  const clock = manualClock();
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  const keyPrefix = uniquePrefix();
  return {
    store: new RedisCallbackStore({ redis, keyPrefix, ttlMs, now: clock.now }),
    advance: clock.advance,
    async close() {
      await deleteKeys(redis, keyPrefix);
      await redis.quit();
    },
  };
});

describeOnRedisCluster('callback store', (cluster) => {
  callbackStoreContract('Redis Cluster', async (ttlMs) => {
    const clock = manualClock();
    const redis = connectCluster(cluster());
    const keyPrefix = uniquePrefix();
    return {
      store: new RedisCallbackStore({ redis, keyPrefix, ttlMs, now: clock.now }),
      advance: clock.advance,
      async close() {
        await deleteKeys(redis, keyPrefix);
        await redis.quit();
      },
    };
  });
});

describe('Redis callback store', () => {
  it('gives every key it writes a time to live no longer than the callback TTL', async () => {
    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    const keyPrefix = uniquePrefix();
    try {
      const store = new RedisCallbackStore({ redis, keyPrefix, ttlMs: 60_000 });
      const booked = await store.book(newCallback());
      await store.claim(booked.id, 'ann');
      const [, keys] = await redis.scan('0', 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      expect(keys).to.have.length(3);
      for (const key of keys) {
        const ttl = await redis.pttl(key);
        expect(ttl, key).to.be.greaterThan(0).and.at.most(60_000);
      }
    } finally {
      await deleteKeys(redis, keyPrefix);
      await redis.quit();
    }
  });
});
