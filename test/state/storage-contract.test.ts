import { expect } from 'chai';
import { ConversationState, TestAdapter, TurnContext, type Storage } from 'botbuilder';
import type { Cluster, Redis } from 'ioredis';
import { hasErrorCode } from '../../src/errors.js';
import { ExpiringMemoryStorage } from '../../src/state/expiring-memory-storage.js';
import { RedisStorage } from '../../src/state/redis-storage.js';
import { connectCluster } from '../support/redis-cluster.js';
import { connectTestRedis, deleteKeys, describeOnRedisCluster, uniquePrefix } from '../support/test-redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface StorageUnderTest {
  create(ttlMs: number): Storage;
  cleanUp(): Promise<void>;
}

/** The contract every state storage honours; runs against the embedded and the Redis storage. */
function storageContract(name: string, setUp: () => StorageUnderTest): void {
  describe(`${name} (Storage contract)`, () => {
    let subject: StorageUnderTest;
    let storage: Storage;

    beforeEach(() => {
      subject = setUp();
      storage = subject.create(0);
    });
    afterEach(() => subject.cleanUp());

    it('returns nothing for keys never written', async () => {
      expect(await storage.read(['missing/1', 'missing/2'])).to.deep.equal({});
    });

    it('round-trips a document and gives it an eTag', async () => {
      await storage.write({ 'webchat/conversations/a': { turnCount: 2, profile: { city: '深圳' } } });
      const items = await storage.read(['webchat/conversations/a']);
      expect(items['webchat/conversations/a']).to.include({ turnCount: 2 });
      expect(items['webchat/conversations/a'].profile).to.deep.equal({ city: '深圳' });
      expect(items['webchat/conversations/a'].eTag).to.be.a('string').and.not.equal('');
    });

    it('rejects a write based on a stale read instead of losing the newer one', async () => {
      await storage.write({ k: { n: 1 } });
      const first = (await storage.read(['k'])).k;
      const second = (await storage.read(['k'])).k;
      await storage.write({ k: { ...second, n: 2 } });

      let rejection: unknown;
      try {
        await storage.write({ k: { ...first, n: 3 } });
      } catch (error) {
        rejection = error;
      }
      expect(hasErrorCode(rejection, 'STORAGE_ETAG_CONFLICT'), String(rejection)).to.equal(true);
      expect((await storage.read(['k'])).k.n).to.equal(2);
    });

    it('accepts a write with the current eTag and changes the eTag', async () => {
      await storage.write({ k: { n: 1 } });
      const current = (await storage.read(['k'])).k;
      await storage.write({ k: { ...current, n: 2 } });
      const after = (await storage.read(['k'])).k;
      expect(after.n).to.equal(2);
      expect(after.eTag).to.not.equal(current.eTag);
    });

    it('lets "*" and a missing eTag overwrite unconditionally', async () => {
      await storage.write({ k: { n: 1 } });
      await storage.write({ k: { n: 2, eTag: '*' } });
      await storage.write({ k: { n: 3 } });
      expect((await storage.read(['k'])).k.n).to.equal(3);
    });

    it('checks a BotState save against the eTag its state was read with, although BotState sends "*"', async () => {
      const state = new ConversationState(storage);
      const counter = state.createProperty<number>('counter');
      const turn = () => new TurnContext(new TestAdapter(), { channelId: 'test', conversation: { id: 'c' } as never, type: 'message' });

      const first = turn();
      await counter.set(first, 1);
      await state.saveChanges(first);
      await counter.set(first, 2);
      await state.saveChanges(first); // a second save in the same turn builds on the first

      const slow = turn();
      const fast = turn();
      const slowCount = await counter.get(slow, 0);
      const fastCount = await counter.get(fast, 0);
      await counter.set(fast, fastCount + 1);
      await state.saveChanges(fast);
      await counter.set(slow, slowCount + 1);
      let rejection: unknown;
      try {
        await state.saveChanges(slow);
      } catch (error) {
        rejection = error;
      }
      expect(hasErrorCode(rejection, 'STORAGE_ETAG_CONFLICT'), String(rejection)).to.equal(true);

      const check = turn();
      expect(await counter.get(check, 0)).to.equal(3);
    });

    it('deletes items', async () => {
      await storage.write({ a: { n: 1 }, b: { n: 2 } });
      await storage.delete(['a']);
      const items = await storage.read(['a', 'b']);
      expect(Object.keys(items)).to.deep.equal(['b']);
    });

    it('expires an item left idle past its TTL, and each write renews it', async () => {
      const expiring = subject.create(400);
      await expiring.write({ idle: { n: 1 }, busy: { n: 1 } });
      await sleep(250);
      await expiring.write({ busy: { n: 2 } });
      await sleep(250);
      const items = await expiring.read(['idle', 'busy']);
      expect(items.idle, 'idle item expired').to.equal(undefined);
      expect(items.busy?.n, 'renewed item kept').to.equal(2);
    });
  });
}

storageContract('ExpiringMemoryStorage', () => ({
  create: (ttlMs) => new ExpiringMemoryStorage({ ttlMs }),
  cleanUp: async () => undefined,
}));

describe('Redis', () => {
  let redis: Redis;
  before(() => {
    redis = connectTestRedis();
  });
  after(() => redis?.quit());

  storageContract('RedisStorage', () => {
    const prefix = uniquePrefix();
    return {
      create: (ttlMs) => new RedisStorage({ redis, namespace: prefix, ttlMs }),
      cleanUp: () => deleteKeys(redis, prefix),
    };
  });
});

describeOnRedisCluster('RedisStorage', (cluster) => {
  let redis: Cluster;
  before(() => {
    redis = connectCluster(cluster());
  });
  after(() => redis?.quit());

  storageContract('RedisStorage', () => {
    const prefix = uniquePrefix();
    return {
      create: (ttlMs) => new RedisStorage({ redis, namespace: prefix, ttlMs }),
      cleanUp: () => deleteKeys(redis, prefix),
    };
  });
});

describe('ExpiringMemoryStorage.sweep', () => {
  it('drops expired items without being asked for them', async () => {
    let now = 1_000;
    const storage = new ExpiringMemoryStorage({ ttlMs: 100, now: () => now });
    await storage.write({ a: { n: 1 }, b: { n: 2 } });
    now += 50;
    await storage.write({ b: { n: 3 } });
    now += 60;
    expect(storage.sweep()).to.equal(1);
    expect(Object.keys(await storage.read(['a', 'b']))).to.deep.equal(['b']);
  });
});
