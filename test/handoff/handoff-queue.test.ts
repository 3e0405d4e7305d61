import { expect } from 'chai';
import { describeOnRedisCluster, testRedisUrl } from '../support/test-redis.js';
import { floodOfClaims, handoffQueueContract } from './handoff-queue.contract.js';
import { connectRedisAt, connectTestClusterNow, memoryQueueFactory, redisQueueFactory, type QueueFixture } from './support.js';

handoffQueueContract('in-process', memoryQueueFactory());
handoffQueueContract('BullMQ on Redis', redisQueueFactory(connectRedisAt(testRedisUrl)));

describeOnRedisCluster('handoff queue', (cluster) => {
  const factory = redisQueueFactory(connectTestClusterNow(cluster));
  handoffQueueContract('BullMQ on a Redis Cluster', factory);

  describe('a flood of handoffs', () => {
    let fixture: QueueFixture | undefined;
    afterEach(async () => fixture?.close());

    it('accepts each of 1,000 handoffs exactly once while 20 agents claim at once', async function () {
      // A thousand handoffs take several round trips each; a busy machine needs the room.
      this.timeout(300_000);
      fixture = await factory();
      const { enqueued, accepted } = await floodOfClaims(fixture.queue, 1_000, 20);
      expect(enqueued.size).to.equal(1_000);
      expect(accepted).to.have.length(1_000);
      expect(new Set(accepted)).to.deep.equal(enqueued);
    });
  });
});
