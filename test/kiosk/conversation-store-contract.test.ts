import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import type { Cluster, Redis } from 'ioredis';
import type { ActivitySet, ConversationStore, ConversationStoreLimits } from '../../adapters/kiosk/store/conversation-store.js';
import { MemoryConversationStore } from '../../adapters/kiosk/store/memory-conversation-store.js';
import { RedisConversationStore } from '../../adapters/kiosk/store/redis-conversation-store.js';
import { memoryLogger } from '../support/silent-logger.js';
import { connectCluster } from '../support/redis-cluster.js';
import { connectTestRedis, deleteKeys, describeOnRedisCluster, uniquePrefix } from '../support/test-redis.js';

const LIMITS: ConversationStoreLimits = { maxActivities: 20, maxConversations: 3, idleMs: 60_000 };

interface StoreUnderTest {
  /** Another handle on the same conversations (a second process, for Redis; the same store in memory). */
  open(): ConversationStore;
  cleanUp(): Promise<void>;
}

const message = (text: string): Partial<Activity> => ({ type: 'message', text });
const texts = (set: ActivitySet | undefined) => set?.activities.map((activity) => activity.text);

/** Waits until `sets` hold `count` activities (stream delivery is asynchronous on Redis). */
async function received(sets: ActivitySet[], count: number): Promise<Partial<Activity>[]> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const all = sets.flatMap((set) => set.activities);
    if (all.length >= count) return all;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`only ${sets.flatMap((set) => set.activities).length} of ${count} activities arrived`);
}

/** The contract both Direct Line stores honour: the API and the adapter rely on nothing else. */
function conversationStoreContract(name: string, setUp: () => StoreUnderTest): void {
  describe(`${name} (ConversationStore contract)`, () => {
    let subject: StoreUnderTest;
    let store: ConversationStore;
    beforeEach(() => {
      subject = setUp();
      store = subject.open();
    });
    afterEach(() => subject.cleanUp());

    const start = (id: string, userId = 'visitor-1') => store.create({ id, deviceId: 'robot-1', userId, userName: 'Ada', locale: 'zh-HK' });

    it('creates and reads back a conversation; an unknown one is undefined', async () => {
      await start('c1');
      expect(await store.get('c1')).to.include({ id: 'c1', deviceId: 'robot-1', userId: 'visitor-1', userName: 'Ada', locale: 'zh-HK', chosenLocale: undefined });
      expect(await store.get('nope')).to.equal(undefined);
      await store.setChosenLocale('c1', 'en');
      expect((await subject.open().get('c1'))?.chosenLocale).to.equal('en');
    });

    it('stamps ids from the log index and answers since(watermark) with what came after', async () => {
      await start('c1');
      expect(await store.append('c1', message('a'))).to.equal('c1|0000000');
      expect(await store.append('c1', message('b'))).to.equal('c1|0000001');
      await store.append('c1', message('c'));
      const all = await store.since('c1', undefined);
      expect(texts(all)).to.deep.equal(['a', 'b', 'c']);
      expect(all?.activities.map((activity) => activity.id)).to.deep.equal(['c1|0000000', 'c1|0000001', 'c1|0000002']);
      expect(all?.watermark).to.equal('3');
      expect(texts(await store.since('c1', 2))).to.deep.equal(['c']);
      expect(await store.since('c1', 3)).to.deep.equal({ activities: [], watermark: '3' });
      expect(await store.append('nope', message('x'))).to.equal(undefined);
      expect(await store.since('nope', 0)).to.equal(undefined);
    });

    it('keeps the latest maxActivities per conversation; the watermark keeps counting', async () => {
      await start('c1');
      for (let i = 0; i < LIMITS.maxActivities + 2; i += 1) await store.append('c1', message(String(i)));
      const kept = await store.since('c1', 0);
      expect(kept?.activities).to.have.length(LIMITS.maxActivities);
      expect(kept?.activities[0]).to.include({ id: 'c1|0000002', text: '2' });
      expect(kept?.watermark).to.equal(String(LIMITS.maxActivities + 2));
    });

    it('streams the backlog after the watermark, then every append (from any handle) in order and once', async () => {
      await start('c1');
      await store.append('c1', message('old'));
      await store.append('c1', message('seen'));
      const other = subject.open();
      const sets: ActivitySet[] = [];
      // Appends from both handles race the subscription and its backlog read.
      const [unsubscribe] = await Promise.all([
        other.stream('c1', 1, (set) => sets.push(set)),
        ...Array.from({ length: 12 }, (_, i) => (i % 2 ? other : store).append('c1', message(`n${i}`))),
      ]);
      expect(unsubscribe).to.be.a('function');
      await received(sets, 13);
      // Wait until the stream reached the end of the log, then nothing may have come twice or out of order.
      for (let attempt = 0; attempt < 100 && sets.at(-1)?.watermark !== '14'; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const all = sets.flatMap((set) => set.activities);
      expect(all.map((activity) => activity.id)).to.deep.equal(Array.from({ length: 13 }, (_, i) => `c1|${String(i + 1).padStart(7, '0')}`));
      expect(all[0]?.text).to.equal('seen');
      expect(sets.at(-1)?.watermark).to.equal('14');
      unsubscribe!();
      await store.append('c1', message('after'));
      await store.since('c1', 0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sets.flatMap((set) => set.activities)).to.have.length(13);
      expect(await store.stream('nope', undefined, () => undefined)).to.equal(undefined);
    });

    it('claims a conversation whose client is gone once (even when claimed twice at once), never a streamed one, and again after its client came back and left', async () => {
      await start('gone');
      await start('watched');
      await start('bot-only');
      const unsubscribe = await store.stream('watched', undefined, () => undefined);
      await store.append('bot-only', message('a queue position notice'));
      const cutoff = Date.now() + 1;
      // Past the cutoff: a sweep's touch of the held stream is then later than it.
      await new Promise((resolve) => setTimeout(resolve, 5));
      // `store` holds the stream; another process learns of it through the sweeps (recency), so it claims first here.
      const [first, second] = await Promise.all([store.claimAbandoned(cutoff), store.claimAbandoned(cutoff)]);
      expect([...first, ...second].map((conversation) => conversation.id).sort(), "the bot's own appends are no sign of the client").to.deep.equal(['bot-only', 'gone']);
      expect(await subject.open().claimAbandoned(cutoff)).to.deep.equal([]);
      await store.touch('gone');
      expect((await store.claimAbandoned(Date.now() + 1)).map((conversation) => conversation.id)).to.deep.equal(['gone']);
      unsubscribe!();
    });

    it("erases a visitor's conversations and logs, and only theirs", async () => {
      await start('k1', 'visitor-1');
      await start('k2', 'visitor-1');
      await start('k3', 'visitor-2');
      for (const id of ['k1', 'k2', 'k3']) await store.append(id, message(`hello ${id}`));
      expect(await store.eraseUser('visitor-1')).to.equal(2);
      expect([await store.get('k1'), await store.get('k2'), await store.since('k1', 0)]).to.deep.equal([undefined, undefined, undefined]);
      expect((await store.get('k3'))?.userId).to.equal('visitor-2');
      expect(texts(await store.since('k3', 0))).to.deep.equal(['hello k3']);
      expect(await store.eraseUser('visitor-1')).to.equal(0);
    });
  });
}

conversationStoreContract('MemoryConversationStore', () => {
  const store = new MemoryConversationStore(LIMITS);
  return { open: () => store, cleanUp: () => store.close() };
});

conversationStoreContract('RedisConversationStore', () => {
  const prefix = uniquePrefix();
  const connections: Redis[] = [];
  const stores: RedisConversationStore[] = [];
  const admin = connectTestRedis();
  connections.push(admin);
  return {
    open() {
      const redis = connectTestRedis();
      connections.push(redis);
      const store = new RedisConversationStore({ ...LIMITS, redis, subscriber: connectTestRedis(), keyPrefix: prefix, logger: memoryLogger('silent').logger });
      stores.push(store);
      return store;
    },
    async cleanUp() {
      for (const store of stores) await store.close();
      await deleteKeys(admin, prefix);
      for (const connection of connections) connection.disconnect();
    },
  };
});

describeOnRedisCluster('RedisConversationStore', (cluster) => {
  conversationStoreContract('RedisConversationStore', () => {
    const prefix = uniquePrefix();
    const connections: Cluster[] = [];
    const stores: RedisConversationStore[] = [];
    const admin = connectCluster(cluster());
    connections.push(admin);
    return {
      open() {
        const redis = connectCluster(cluster());
        connections.push(redis);
        const store = new RedisConversationStore({ ...LIMITS, redis, subscriber: connectCluster(cluster(), { blocking: true }), keyPrefix: prefix, logger: memoryLogger('silent').logger });
        stores.push(store);
        return store;
      },
      async cleanUp() {
        for (const store of stores) await store.close();
        await deleteKeys(admin, prefix);
        for (const connection of connections) connection.disconnect();
      },
    };
  });
});

describe('MemoryConversationStore bounds', () => {
  it('keeps at most maxLogChars of activity JSON per conversation (the newest always), the watermark counting on', async () => {
    const store = new MemoryConversationStore({ ...LIMITS, maxLogChars: 2_000 });
    await store.create({ id: 'big', deviceId: 'robot-1', userId: 'v', userName: undefined, locale: 'en' });
    for (let i = 0; i < 10; i += 1) await store.append('big', message(`${i}`.repeat(500)));
    const kept = await store.since('big', 0);
    expect(JSON.stringify(kept?.activities).length).to.be.at.most(2_000);
    expect(kept?.activities.length).to.be.within(1, 3);
    expect(kept?.activities.at(-1)?.text).to.equal('9'.repeat(500));
    expect(kept?.watermark).to.equal('10');
    await store.append('big', message('x'.repeat(5_000)));
    expect((await store.since('big', 0))?.activities.map((activity) => activity.text)).to.deep.equal(['x'.repeat(5_000)]);
  });

  it('is full at maxConversations and forgets idle conversations no stream watches', async () => {
    let now = 1_000_000;
    const store = new MemoryConversationStore({ ...LIMITS, now: () => now });
    for (const id of ['a', 'b', 'c']) await store.create({ id, deviceId: 'robot-1', userId: 'v', userName: undefined, locale: 'en' });
    expect(await store.full()).to.equal(true);
    const unsubscribe = await store.stream('b', undefined, () => undefined);
    now += LIMITS.idleMs + 1;
    await store.touch('c');
    expect(await store.sweep()).to.equal(1);
    expect([await store.get('a'), (await store.get('b'))?.id, (await store.get('c'))?.id]).to.deep.equal([undefined, 'b', 'c']);
    expect(await store.full()).to.equal(false);
    unsubscribe!();
  });
});

describe('RedisConversationStore keys and expiry', () => {
  const prefix = uniquePrefix();
  let redis: Redis;
  let store: RedisConversationStore;
  before(() => {
    redis = connectTestRedis();
    store = new RedisConversationStore({ ...LIMITS, idleMs: 120_000, redis, subscriber: connectTestRedis(), keyPrefix: prefix, logger: memoryLogger('silent').logger });
  });
  after(async () => {
    await store?.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('keeps every key under <prefix>:directline: with a TTL, refreshed on use', async () => {
    await store.create({ id: 'c1', deviceId: 'robot-1', userId: 'visitor-1', userName: undefined, locale: 'en' });
    await store.append('c1', message('hi'));
    const keys = (await redis.keys(`${prefix}*`)).sort();
    expect(keys).to.deep.equal([`${prefix}:directline:last-used`, `${prefix}:directline:user:visitor-1`, `${prefix}:directline:c1:conversation`, `${prefix}:directline:c1:log`].sort());
    for (const key of keys) {
      const ttl = await redis.pttl(key);
      expect(ttl, key).to.be.within(1, 120_000);
    }
    await redis.pexpire(`${prefix}:directline:c1:log`, 5_000);
    await redis.pexpire(`${prefix}:directline:c1:conversation`, 5_000);
    await store.touch('c1');
    expect(await redis.pttl(`${prefix}:directline:c1:log`)).to.be.above(5_000);
    expect(await redis.pttl(`${prefix}:directline:c1:conversation`)).to.be.above(5_000);
  });

  it('neither repeats a re-published activity nor loses one whose fan-out message was missed (read back from the log)', async () => {
    await store.create({ id: 'g1', deviceId: 'robot-1', userId: 'visitor-1', userName: undefined, locale: 'en' });
    await store.append('g1', message('first'));
    const sets: ActivitySet[] = [];
    const unsubscribe = await store.stream('g1', undefined, (set) => sets.push(set));
    await received(sets, 1);
    // A duplicate of index 0 (as after a subscriber reconnect), then an activity nobody published.
    await redis.publish(`${prefix}:directline:activities`, `g1\n0\n${JSON.stringify(message('first again'))}`);
    await redis.multi().rpush(`${prefix}:directline:g1:log`, JSON.stringify(message('missed'))).hincrby(`${prefix}:directline:g1:conversation`, 'next', 1).exec();
    await store.append('g1', message('third'));
    const all = await received(sets, 3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sets.flatMap((set) => set.activities).map((activity) => activity.text)).to.deep.equal(['first', 'missed', 'third']);
    expect(all.map((activity) => activity.id)).to.deep.equal(['g1|0000000', 'g1|0000001', 'g1|0000002']);
    unsubscribe!();
  });
});
