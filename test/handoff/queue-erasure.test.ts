import { expect } from 'chai';
import { Redis } from 'ioredis';
import { BullmqHandoffQueue } from '../../src/handoff/queue/bullmq-handoff-queue.js';
import { memoryLogger } from '../support/silent-logger.js';
import { deleteKeys, testRedisUrl, uniquePrefix } from '../support/test-redis.js';
import { connectRedisAt, memoryQueueFactory, newHandoff, payload, redisQueueFactory, type QueueFactory, type QueueFixture } from './support.js';
import { HandoffKeys } from '../../src/state/redis-keys.js';

function erasureContract(name: string, factory: QueueFactory): void {
  describe(`handoff queue erasure: ${name}`, () => {
    let fixture: QueueFixture | undefined;
    afterEach(async () => {
      await fixture?.close();
      fixture = undefined;
    });

    it('deletes every handoff of one customer with its messages, queue place and affinity, and nobody else\'s', async () => {
      fixture = await factory();
      const { queue } = fixture;
      const held = await queue.enqueue(newHandoff({ payload: payload({ customer: { id: 'eve', locale: 'en' } }) }));
      fixture.advance(10);
      const waiting = await queue.enqueue(newHandoff({ payload: payload({ customer: { id: 'eve', locale: 'en' } }) }));
      fixture.advance(10);
      const other = await queue.enqueue(newHandoff({ payload: payload({ customer: { id: 'joe', locale: 'en' } }) }));
      // The one who waited longest is accepted first.
      expect((await queue.claimNext({ id: 'ann', skills: ['general'], languages: ['en'] }))?.id).to.equal(held.id);
      expect((await queue.get(waiting.id))?.state).to.equal('waiting');
      await queue.appendMessage(held.id, { id: 'm1', from: 'customer', text: 'hello', at: new Date().toISOString() });
      await queue.setLastAgent('test/eve', 'ann');
      await queue.setLastAgent('test/joe', 'ann');

      expect(await queue.eraseUser('eve', ['test'])).to.deep.include({ handoffs: 2, affinity: 1 });
      expect(await queue.get(waiting.id)).to.equal(undefined);
      expect(await queue.get(held.id)).to.equal(undefined);
      expect(await queue.messages(held.id)).to.deep.equal([]);
      expect(await queue.heldBy('ann')).to.not.include(held.id);
      expect(await queue.waitingIds()).to.not.include(waiting.id);
      expect(await queue.lastAgent('test/eve')).to.equal(undefined);
      expect((await queue.get(other.id))?.payload.customer.id).to.equal('joe');
      expect(await queue.lastAgent('test/joe')).to.equal('ann');
      expect(await queue.eraseUser('eve', ['test'])).to.deep.include({ handoffs: 0, affinity: 0 });
    });
  });
}

erasureContract('in-process', memoryQueueFactory());
erasureContract('BullMQ on Redis', redisQueueFactory(connectRedisAt(testRedisUrl)));

describe('handoff records in Redis expire', () => {
  it('sets a TTL on a record and its messages, and drops the queue place of a record that expired', async () => {
    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    const keyPrefix = uniquePrefix();
    const queue = new BullmqHandoffQueue({
      redis,
      keyPrefix,
      leaseMs: 10_000,
      recordTtlSeconds: 600,
      logger: memoryLogger('silent').logger,
      createWorkerConnection: () => new Redis(testRedisUrl(), { maxRetriesPerRequest: null }),
    });
    try {
      const expiring = await queue.enqueue(newHandoff());
      const staying = await queue.enqueue(newHandoff());
      await queue.appendMessage(staying.id, { id: 'm1', from: 'customer', text: 'hello', at: new Date().toISOString() });
      const keys = new HandoffKeys(keyPrefix);
      for (const key of [keys.record(staying.id), keys.messages(staying.id)]) {
        expect(await redis.ttl(key), key).to.be.greaterThan(590).and.at.most(600);
      }
      await redis.del(keys.record(expiring.id));
      expect(await queue.waitingIds()).to.deep.equal([staying.id]);
      expect(await redis.zrange(keys.waiting(keys.queueName('general', 'en')), '0', '-1')).to.deep.equal([staying.id]);
    } finally {
      await queue.close();
      await deleteKeys(redis, keyPrefix);
      await redis.quit();
    }
  });
});
