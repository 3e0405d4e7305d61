import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { MemoryDedupeStore, RedisDedupeStore, type DedupeStore } from '../../adapters/shared/dedupe-store.js';
import type { RedisClient } from '../../src/state/create-redis.js';
import { connectCluster } from '../support/redis-cluster.js';
import { connectTestRedis, deleteKeys, describeOnRedisCluster, scanKeys, uniquePrefix } from '../support/test-redis.js';

interface DedupeFixture {
  readonly store: DedupeStore;
  /** Another process's store on the same backend (the same store in memory). */
  readonly other: DedupeStore;
  /** Every key and value the backend holds for the store (what a dump of it would show). */
  stored(): Promise<string[]>;
  close(): Promise<void>;
}

/** What every DedupeStore honours: a delivery id is first seen once, by exactly one caller. */
function dedupeContract(name: string, open: () => DedupeFixture): void {
  describe(`DedupeStore contract: ${name}`, () => {
    let fixture: DedupeFixture;
    beforeEach(() => {
      fixture = open();
    });
    afterEach(() => fixture?.close());

    it('sees an id first once, then reports every redelivery', async () => {
      expect(await fixture.store.firstSeen('whatsapp:m1')).to.equal(true);
      expect(await fixture.store.firstSeen('whatsapp:m1')).to.equal(false);
      expect(await fixture.other.firstSeen('whatsapp:m1')).to.equal(false);
      expect(await fixture.store.firstSeen('whatsapp:m2')).to.equal(true);
    });

    it("keeps no message id as it came: a WhatsApp id holds the sender's phone number", async () => {
      const id = 'whatsapp:false_85291234567@c.us_3EB0C767D26A1D2E5E5C';
      expect(await fixture.store.firstSeen(id)).to.equal(true);
      expect(await fixture.other.firstSeen(id)).to.equal(false);
      const stored = await fixture.stored();
      expect(stored.some((entry) => entry.includes('whatsapp:')), 'the channel stays readable').to.equal(true);
      expect(stored.filter((entry) => entry.includes('91234567') || entry.includes('3EB0C767'))).to.deep.equal([]);
    });

    it('lets exactly one of 50 simultaneous deliveries of one id through', async () => {
      const answers = await Promise.all(Array.from({ length: 50 }, (_, n) => (n % 2 ? fixture.other : fixture.store).firstSeen('wechat:burst')));
      expect(answers.filter(Boolean)).to.have.length(1);
    });
  });
}

dedupeContract('in memory', () => {
  const store = new MemoryDedupeStore(60_000);
  // The LRU is private: a heap snapshot would show what it holds.
  const stored = async () => [...(store as unknown as { seen: Map<string, unknown> }).seen.keys()];
  return { store, other: store, stored, close: async () => undefined };
});

describe('DedupeStore in memory: a bounded footprint', () => {
  it('remembers at most maxIds ids; the first seen is forgotten first, even within its TTL', async () => {
    const store = new MemoryDedupeStore(60_000, Date.now, 2);
    for (const id of ['m1', 'm2', 'm3']) expect(await store.firstSeen(id)).to.equal(true);
    expect(await store.firstSeen('m3'), 'still remembered').to.equal(false);
    expect(await store.firstSeen('m1'), 'evicted by m3').to.equal(true);
  });

});

function redisFixture(connect: () => RedisClient): DedupeFixture {
  const prefix = uniquePrefix();
  const first = connect();
  const second = connect();
  return {
    store: new RedisDedupeStore(first, prefix, 60_000),
    other: new RedisDedupeStore(second, prefix, 60_000),
    async stored() {
      const keys = await scanKeys(first, prefix);
      const values = await Promise.all(keys.map((key) => first.get(key)));
      return [...keys, ...values.map(String)];
    },
    async close() {
      await deleteKeys(first, prefix);
      await Promise.all([first.quit(), second.quit()]);
    },
  };
}

dedupeContract('Redis', () => redisFixture((): Redis => connectTestRedis()));

describeOnRedisCluster('dedupe store', (cluster) => {
  dedupeContract('Redis Cluster', () => redisFixture(() => connectCluster(cluster())));
});
