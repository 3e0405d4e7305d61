import { expect } from 'chai';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { describeOnRedisCluster, testRedisUrl } from '../support/test-redis.js';
import { AGENTS, asAgent, eventually, startHarness, type Harness } from './harness.js';

const HUMAN = (text: string) => (text === 'human please' ? { intent: 'core.human' } : undefined);

describe('handoff durability and scale (BullMQ on Redis)', function () {
  this.timeout(120_000);
  let harness: Harness | undefined;
  let redis: PrivateRedis | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await redis?.destroy();
    redis = undefined;
  });

  it('a Redis restart (AOF) in the middle of waiting handoffs loses no handoff and no customer message', async () => {
    redis = await startPrivateRedis({ appendOnly: true });
    // Ann takes all five at once: room for them and one more (so the last "next" finds nobody rather than a full inbox).
    harness = await startHarness({ redisUrl: redis.url, understand: HUMAN, agents: AGENTS.map((a) => (a.id === 'ann' ? { ...a, capacity: 6 } : a)) });
    const users = ['r1', 'r2', 'r3', 'r4', 'r5'];
    for (const user of users) {
      await harness.say(user, 'human please', 'en');
      await harness.say(user, `message from ${user}`, 'en');
    }
    expect(await harness.feature.queue.waitingIds()).to.have.length(5);
    await redis.stop();
    await redis.start();
    await eventually(async () => (await harness!.feature.queue.waitingIds().catch(() => [])).length === 5);
    const ann = await harness.agent('ann');
    const served = new Map<string, string[]>();
    for (let i = 0; i < 5; i++) {
      const { status, body } = await ann.next();
      expect(status).to.equal(200);
      served.set(body.handoff.payload.customer.id, body.messages.map((m: { text: string }) => m.text));
    }
    expect((await ann.next()).status).to.equal(204);
    expect([...served.keys()].sort()).to.deep.equal(users);
    for (const user of users) expect(served.get(user)).to.deep.equal([`message from ${user}`]);
  });

  it('1,000 handoffs from 1,000 conversations, drained by 20 agents: each accepted once, every message delivered once', async () => {
    harness = await startHarness({ redisUrl: testRedisUrl(), understand: HUMAN });
    await floodOfConversations(harness);
  });
});

describeOnRedisCluster('handoff at scale', (cluster) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('1,000 handoffs from 1,000 conversations, drained by 20 agents: each accepted once, every message delivered once', async function () {
    this.timeout(300_000);
    harness = await startHarness({ redisCluster: cluster(), understand: HUMAN });
    await floodOfConversations(harness);
  });
});

/** 1,000 customers ask for a person and write once more; 20 agents drain the queues and answer each. */
async function floodOfConversations(h: Harness): Promise<void> {
  const users = Array.from({ length: 1000 }, (_, i) => `u${i}`);
  for (let i = 0; i < users.length; i += 100) {
    await Promise.all(users.slice(i, i + 100).map(async (user) => {
      await h.say(user, 'human please', 'en');
      await h.say(user, `wait ${user}`, 'en');
    }));
  }
  const agents = Array.from({ length: 20 }, (_, n) => asAgent({ ...AGENTS[1]!, id: `agent-${n}`, name: `Agent ${n}` }));
  const accepted: string[] = [];
  const customerMessages = new Map<string, string[]>();
  await Promise.all(
    agents.map(async (agent) => {
      for (;;) {
        const record = await h.feature.service.acceptNext(agent);
        if (!record) return;
        accepted.push(record.id);
        const messages = await h.feature.queue.messages(record.id);
        customerMessages.set(record.payload.customer.id, messages.map((m) => m.text));
        const sent = await h.feature.service.sendAgentMessage(agent, record.id, `reply to ${record.payload.customer.id}`);
        expect(sent.ok).to.equal(true);
      }
    }),
  );
  expect(accepted).to.have.length(1000);
  expect(new Set(accepted).size).to.equal(1000);
  for (const user of users) expect(customerMessages.get(user), user).to.deep.equal([`wait ${user}`]);
  await eventually(async () => users.every((user) => h.customers.lines(user).includes(`reply to ${user}`)), 60_000);
  for (const user of users) expect(h.customers.lines(user).filter((l) => l === `reply to ${user}`), user).to.have.length(1);
}
