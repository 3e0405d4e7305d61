import { expect } from 'chai';
import { describeOnRedisCluster, testRedisUrl } from '../support/test-redis.js';
import { floodOfClaims, handoffQueueContract } from './handoff-queue.contract.js';
import { MemoryHandoffQueue } from '../../src/handoff/queue/memory-handoff-queue.js';
import { MemoryRoutingMemory } from '../../src/handoff/queue/memory-routing-memory.js';
import { connectRedisAt, connectTestClusterNow, memoryQueueFactory, newHandoff, redisQueueFactory, type QueueFixture } from './support.js';

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

describe('in-process handoff queue: a bounded footprint', () => {
  it('forgets resolved and cancelled handoffs after the record TTL, as Redis expires them, and keeps the open ones', async () => {
    let now = 1_000_000;
    const queue = new MemoryHandoffQueue({ leaseMs: 10_000, recordTtlSeconds: 60, now: () => now });
    const ann = { id: 'ann', skills: ['general'], languages: ['en' as const] };
    const resolved = await queue.enqueue(newHandoff());
    expect((await queue.claimNext(ann))?.id).to.equal(resolved.id);
    expect((await queue.resolve(resolved.id, 'ann', { disposition: 'done' })).ok).to.equal(true);
    const cancelled = await queue.enqueue(newHandoff());
    await queue.cancel(cancelled.id);
    const waiting = await queue.enqueue(newHandoff());

    now += 59_000;
    await queue.enqueue(newHandoff());
    expect((await queue.get(resolved.id))?.state, 'kept within the TTL').to.equal('resolved');

    now += 2_000;
    await queue.enqueue(newHandoff());
    expect(await queue.get(resolved.id)).to.equal(undefined);
    expect(await queue.get(cancelled.id)).to.equal(undefined);
    expect(await queue.messages(resolved.id)).to.deep.equal([]);
    expect((await queue.get(waiting.id))?.state, 'a waiting handoff is never forgotten').to.equal('waiting');
  });

  it("remembers a customer's last agent for 90 days and at most maxAffinity customers, the least recently served going first", () => {
    let now = 1_000_000;
    const routing = new MemoryRoutingMemory(() => now, 2);
    routing.setLastAgent('test/u1', 'kit');
    routing.setLastAgent('test/u2', 'kit');
    routing.setLastAgent('test/u3', 'lee');
    expect(routing.lastAgent('test/u1'), 'evicted by the third').to.equal(undefined);
    expect(routing.lastAgent('test/u3')).to.equal('lee');
    now += 90 * 24 * 60 * 60 * 1000 + 1;
    expect(routing.lastAgent('test/u3'), 'after 90 days').to.equal(undefined);
  });
});
