import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { HandoffKeys } from '../../src/state/redis-keys.js';
import { connectTestRedis, testRedisUrl, uniquePrefix } from '../support/test-redis.js';
import { connectRedisAt, newHandoff, redisQueueFactory, type ConnectRedis, type QueueFixture } from './support.js';

const ann = { id: 'ann', skills: ['general'], languages: ['en' as const] };

/**
 * Runs `other` once, right after `producer` read `record`'s keys for a script (HMGET of its holder, queue and reservation)
 * and before the script runs: what another process would do in between. Returns whether it ran.
 */
function betweenReadAndScript(producer: Redis, record: string, other: () => Promise<void>): () => boolean {
  const read = producer.hmget.bind(producer) as (...args: string[]) => Promise<(string | null)[]>;
  let raced = false;
  Object.assign(producer, {
    hmget: async (...args: string[]) => {
      const fields = await read(...args);
      if (!raced && args[0] === record && args.slice(1).join() === 'agentId,skill,language,reservedFor') {
        raced = true;
        await other();
      }
      return fields;
    },
  });
  return () => raced;
}

/**
 * The handoff scripts get the keys that depend on a record (its queue, reservation, holder) from
 * the caller, who read the record just before; when another process changed it in between, the
 * script must refuse and the caller read again, or it would clean up the wrong agent's keys.
 */
describe('handoff scripts when another process changes the record between the read and the script', () => {
  const fixtures: QueueFixture[] = [];
  let admin: Redis | undefined;
  afterEach(async () => {
    for (const fixture of fixtures.splice(0)) await fixture?.close();
    admin?.disconnect();
  });

  /** Two queues on one Redis, as two processes would have; `producers[0]` is `mine`'s command connection. */
  async function twoProcesses(): Promise<{ keys: HandoffKeys; mine: QueueFixture; theirs: QueueFixture; producers: Redis[] }> {
    const prefix = uniquePrefix();
    const producers: Redis[] = [];
    const connect: ConnectRedis = (options) => {
      const client = connectRedisAt(testRedisUrl)(options) as Redis;
      if (!options.blocking) producers.push(client);
      return client;
    };
    const mine = await redisQueueFactory(connect, prefix)();
    const theirs = await redisQueueFactory(connect, prefix)();
    fixtures.push(mine, theirs);
    return { keys: new HandoffKeys(prefix), mine, theirs, producers };
  }

  it('cancel reads the holder again after another process claimed the handoff, leaving no stale held entry', async () => {
    const { keys, mine, theirs, producers } = await twoProcesses();
    const handoff = await mine.queue.enqueue(newHandoff());

    // This process reads the record's keys; before its script runs, the other process claims the handoff.
    const raced = betweenReadAndScript(producers[0]!, keys.record(handoff.id), async () => {
      expect((await theirs.queue.claimNext(ann))?.id).to.equal(handoff.id);
    });

    await mine.queue.cancel(handoff.id);
    expect(raced(), 'the claim ran between the read and the script').to.equal(true);
    admin = connectTestRedis();
    expect((await mine.queue.get(handoff.id))?.state).to.equal('cancelled');
    expect(await admin.smembers(keys.held('ann'))).to.deep.equal([]);
    expect(await admin.zscore(keys.leases, handoff.id)).to.equal(null);
  });

  it("a supervisor's reassign reads the holder again after another supervisor moved the chat, leaving no stale held entry", async () => {
    const { keys, mine, theirs, producers } = await twoProcesses();
    const handoff = await mine.queue.enqueue(newHandoff());
    expect((await mine.queue.claimNext(ann))?.id).to.equal(handoff.id);

    // This process reads the holder (ann); before its script runs, the other process moves the chat to bob.
    const raced = betweenReadAndScript(producers[0]!, keys.record(handoff.id), async () => {
      expect((await theirs.queue.reassign(handoff.id, 'bob')).ok).to.equal(true);
    });

    expect((await mine.queue.reassign(handoff.id, 'cy')).ok).to.equal(true);
    expect(raced(), 'the other reassign ran between the read and the script').to.equal(true);
    admin = connectTestRedis();
    expect((await mine.queue.get(handoff.id))?.agentId).to.equal('cy');
    expect(await admin.smembers(keys.held('ann'))).to.deep.equal([]);
    expect(await admin.smembers(keys.held('bob'))).to.deep.equal([]);
    expect(await admin.smembers(keys.held('cy'))).to.deep.equal([handoff.id]);
  });
});
