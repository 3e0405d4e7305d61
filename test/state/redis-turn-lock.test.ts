import { expect } from 'chai';
import type { RedisClient } from '../../src/state/create-redis.js';
import { RedisKeys } from '../../src/state/redis-keys.js';
import { RedisTurnLock } from '../../src/state/redis-turn-lock.js';
import { connectCluster } from '../support/redis-cluster.js';
import { memoryLogger } from '../support/silent-logger.js';
import { connectTestRedis, deleteKeys, describeOnRedisCluster, uniquePrefix } from '../support/test-redis.js';

/** Polls until `check` holds (no fixed sleeps: a busy machine may be slow). */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
}

function turnLockTests(connect: () => RedisClient): void {
  let redis: RedisClient;
  let prefix: string;
  beforeEach(() => {
    redis = connect();
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    await deleteKeys(redis, prefix);
    await redis?.quit();
  });

  it('lets one turn of a conversation run at a time; the next runs once the first releases', async () => {
    const lock = new RedisTurnLock({ redis, keyPrefix: prefix, logger: memoryLogger('silent').logger });
    const order: string[] = [];
    const releaseFirst = await lock.acquire('c1');
    order.push('first holds');
    const second = lock.acquire('c1').then((release) => {
      order.push('second holds');
      return release;
    });
    const other = await lock.acquire('c2');
    order.push('another conversation holds');
    await other();
    order.push('first releases');
    await releaseFirst();
    await (await second)();
    expect(order).to.deep.equal(['first holds', 'another conversation holds', 'first releases', 'second holds']);
    expect(await redis.exists(new RedisKeys(prefix).turnLock('c1'))).to.equal(0);
  });

  it('a turn that outlived its lease does not release the lock the next turn took', async () => {
    const lock = new RedisTurnLock({ redis, keyPrefix: prefix, logger: memoryLogger('silent').logger, leaseMs: 50 });
    const key = new RedisKeys(prefix).turnLock('c1');
    const releaseLate = await lock.acquire('c1');
    await until(async () => (await redis.exists(key)) === 0);
    const releaseNext = await lock.acquire('c1');
    const nextToken = await redis.get(key);
    await releaseLate();
    expect(await redis.get(key)).to.equal(nextToken);
    await releaseNext();
    expect(await redis.exists(key)).to.equal(0);
  });

  it('runs the turn unlocked, with a warning, when the lock stays taken for two leases', async () => {
    const { logger, lines } = memoryLogger('warn');
    const lock = new RedisTurnLock({ redis, keyPrefix: prefix, logger, leaseMs: 20 });
    const key = new RedisKeys(prefix).turnLock('stuck');
    await redis.set(key, 'a crashed process', 'PX', 600_000);
    const release = await lock.acquire('stuck');
    await release();
    expect(await redis.get(key)).to.equal('a crashed process');
    expect(lines().map((line) => line.msg)).to.include('turn lock still held after two leases; running the turn unlocked (state saves stay eTag-checked)');
  });
}

describe('RedisTurnLock', () => {
  turnLockTests(() => connectTestRedis());
});

describeOnRedisCluster('RedisTurnLock', (cluster) => {
  turnLockTests(() => connectCluster(cluster()));
});
