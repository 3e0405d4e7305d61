import { expect } from 'chai';
import { EventWriter } from '../../src/analytics/event-writer.js';
import { recordHandoffs } from '../../src/analytics/handoff-recorder.js';
import { AnalyticsPrometheus } from '../../src/analytics/prometheus.js';
import { KyselyAnalyticsStore } from '../../src/analytics/store/kysely-store.js';
import { MemoryCsatStore } from '../../src/handoff/csat-store.js';
import { memoryLogger } from '../support/silent-logger.js';
import { testKeys } from '../analytics/support.js';
import { testRedisUrl } from '../support/test-redis.js';
import { eventually, startHarness, type Harness } from './harness.js';

const HUMAN = (text: string) => (/真人|human/.test(text) ? { intent: 'core.human' } : undefined);

describe('handoff behaviour (BullMQ on Redis)', function () {
  this.timeout(30_000);
  let harness: Harness;
  afterEach(async () => harness?.close());

  it('cancel ("唔等喇") leaves the queue: back to the bot, nobody can accept it', async () => {
    harness = await startHarness({ redisUrl: testRedisUrl(), understand: HUMAN });
    await harness.say('ho', '我要真人');
    expect(harness.customers.lines('ho').at(-1)).to.match(/排第 1 位/);
    await harness.say('ho', '唔等喇');
    expect(harness.customers.lines('ho').at(-1)).to.equal('好，你已經唔再排隊。我返嚟喇，仲有咩可以幫到你？');
    const kit = await harness.agent('kit');
    expect((await kit.next()).status).to.equal(204);
  });

  it('leaving the queue in the customer\'s own words ("唔等喇，我自己搞掂": the NLU\'s core.cancel) works too', async () => {
    harness = await startHarness({
      redisUrl: testRedisUrl(),
      understand: (text) => (text === '唔等喇，我自己搞掂' ? { intent: 'core.cancel' } : HUMAN(text)),
    });
    await harness.say('ho', '我要真人');
    await harness.say('ho', '唔等喇，我自己搞掂');
    expect(harness.customers.lines('ho').at(-1)).to.equal('好，你已經唔再排隊。我返嚟喇，仲有咩可以幫到你？');
    expect(await harness.feature.queue.waitingIds()).to.deep.equal([]);
  });

  it('"取消" works for Mandarin customers too, and cancelling ends an agent conversation', async () => {
    harness = await startHarness({ redisUrl: testRedisUrl(), understand: HUMAN });
    await harness.say('wang', '我要找真人', 'zh-CN');
    const li = await harness.agent('li');
    await li.connect();
    const { body } = await li.next();
    expect(body.handoff.language).to.equal('zh-CN');
    await harness.say('wang', '取消', 'zh-CN');
    expect(harness.customers.lines('wang').at(-1)).to.equal('好的，您已退出排队。我回来了，还有什么可以帮您？');
    await li.waitForEvent((e) => e.type === 'cancelled' && e.handoffId === body.handoff.id);
    expect((await li.send(body.handoff.id, 'hello?')).status).to.equal(409);
  });

  it('outside working hours books a callback on "yes" that agents see, one claims, answers and completes, and analytics records', async () => {
    harness = await startHarness({ redisUrl: testRedisUrl() });
    const store = new KyselyAnalyticsStore({ sqliteFile: ':memory:' });
    const { logger } = memoryLogger('silent');
    const writer = new EventWriter(store, { batchSize: 100, flushMs: 10, bufferLimit: 1000, retryMaxMs: 50, logger });
    const stop = recordHandoffs(harness.feature.service, writer, new AnalyticsPrometheus(() => 0), logger, testKeys);
    try {
      await harness.say('eve', 'I need a mortgage quote, call 9123 4567', 'en');
      await harness.customers.say('eve', 'mortgage please', 'en', async (context) => {
        await harness.feature.service.request(context, { reason: 'topic', skill: 'mortgage' });
        await harness.bot.conversationState.saveChanges(context);
      });
      expect(harness.customers.lines('eve').at(-1)).to.match(/^Our Mortgages team is offline right now\. They're back Monday 09:00 \(Asia\/Hong_Kong\)\. Would you like them to contact you here when they're back\? \(yes\/no\)$/);
      await harness.say('eve', 'yes', 'en');
      expect(harness.customers.lines('eve').at(-1)).to.equal("Thanks, it's booked: our Mortgages team will contact you here when they're back.");
      expect(await harness.feature.queue.waitingIds()).to.deep.equal([]);

      // Listed for the agents who serve the skill and language, durable in Redis with what is needed to call back.
      const ann = await harness.agent('ann');
      const kit = await harness.agent('kit');
      const listed = await ann.call('GET', '/api/agent/callbacks');
      expect(listed.status).to.equal(200);
      expect(listed.body.callbacks).to.have.length(1);
      const [callback] = listed.body.callbacks;
      expect(callback).to.deep.include({ state: 'open', skill: 'mortgage', locale: 'en', channelId: 'customers', customer: { id: 'eve', name: 'Customer eve' } });
      expect(callback.summary.wants).to.equal('I need a mortgage quote, call [PHONE]');
      expect(callback.reference.conversation.id).to.equal('conv-eve');
      expect((await kit.call('GET', '/api/agent/callbacks')).body.callbacks).to.deep.equal([]);

      // One claim wins; the second fails.
      expect((await ann.call('POST', `/api/agent/callbacks/${callback.id}/claim`)).status).to.equal(200);
      const second = await kit.call('POST', `/api/agent/callbacks/${callback.id}/claim`);
      expect(second.status).to.equal(409);
      expect(second.body.error.code).to.equal('HANDOFF_CONFLICT');
      expect((await kit.call('POST', `/api/agent/callbacks/${callback.id}/messages`, { text: 'hi' })).status).to.equal(403);

      // The agent reaches the customer where they booked it.
      expect((await ann.call('POST', `/api/agent/callbacks/${callback.id}/messages`, { text: 'Hi Eve, Ann from Mortgages here.' })).status).to.equal(202);
      await harness.customers.waitFor('eve', 'Hi Eve, Ann from Mortgages here.');
      expect((await ann.call('POST', `/api/agent/callbacks/${callback.id}/complete`, { disposition: 'called back' })).body.callback).to.deep.include({ state: 'done', agentId: 'ann' });
      expect((await ann.call('GET', '/api/agent/callbacks')).body.callbacks).to.deep.equal([]);

      await eventually(async () => (await writer.flush(), (await store.handoffEvents({ since: 0, until: Date.now() + 1000 })).length === 3 || undefined));
      const events = await store.handoffEvents({ since: 0, until: Date.now() + 1000 });
      expect(events.map((e) => [e.type, e.handoffId, e.skill, e.agentId])).to.deep.equal([
        ['callback-booked', callback.id, 'mortgage', null],
        ['callback-claimed', callback.id, 'mortgage', 'ann'],
        ['callback-done', callback.id, 'mortgage', 'ann'],
      ]);
      expect(events.every((e) => e.user === testKeys.user('eve') && e.conversation === testKeys.conversation('customers', 'conv-eve'))).to.equal(true);
    } finally {
      stop();
      await writer.close();
      await store.close();
    }
  });

  it('outside working hours offers no callback when no agent serves the skill in the customer\'s language', async () => {
    harness = await startHarness({ redisUrl: testRedisUrl() });
    await harness.customers.say('kam', '按揭', 'zh-HK', async (context) => {
      await harness.feature.service.request(context, { reason: 'topic', skill: 'mortgage' });
      await harness.bot.conversationState.saveChanges(context);
    });
    expect(harness.customers.lines('kam').at(-1)).to.equal('Mortgages 團隊而家唔喺度，星期一 09:00 (Asia/Hong_Kong)會返嚟，到時請再搵我哋。');
    await harness.say('kam', '係', 'zh-HK');
    expect(await harness.feature.callbacks.list()).to.deep.equal([]);
  });

  it('transfer puts the handoff in the other skill queue; the customer is told', async () => {
    harness = await startHarness({ redisUrl: testRedisUrl(), understand: HUMAN });
    await harness.say('tom', 'I want a human', 'en');
    const ann = await harness.agent('ann');
    const { body } = await ann.next();
    const transfer = await ann.call('POST', `/api/agent/handoffs/${body.handoff.id}/transfer`, { skill: 'cards' });
    expect(transfer.status).to.equal(200);
    expect((await ann.call('POST', `/api/agent/handoffs/${body.handoff.id}/transfer`, { skill: 'nope' })).status).to.equal(400);
    await harness.customers.waitFor('tom', "I'm transferring you to our Cards team.");
    expect((await ann.next()).status).to.equal(204);
    const kit = await harness.agent('kit');
    const taken = await kit.next();
    expect(taken.body.handoff.id).to.equal(body.handoff.id);
    expect(taken.body.handoff.skill).to.equal('cards');
  });

  it('an agent whose session dies loses the handoff back to the queue, with its context', async () => {
    harness = await startHarness({ redisUrl: testRedisUrl(), understand: HUMAN, env: { HANDOFF_LEASE_MS: '600' } });
    await harness.say('kai', '我要真人');
    await harness.say('kai', '我張卡唔見咗');
    const kit = await harness.agent('kit');
    await kit.connect();
    const { body } = await kit.next();
    expect(body.handoff.agentId).to.equal('kit');
    kit.disconnect(); // the browser is gone: no more heartbeats
    await harness.customers.waitFor('kai', /客服斷咗線，你已經重新排隊，而家排第 1 位/);
    const sam = await harness.agent('sam');
    const again = await sam.next();
    expect(again.body.handoff.id).to.equal(body.handoff.id);
    expect(again.body.messages.map((m: { text: string }) => m.text)).to.deep.equal(['我張卡唔見咗']);
    expect(again.body.handoff.payload.customer.id).to.equal('kai');
  });

  it('affinity: the returning customer is offered to their last agent first, then falls to the queue', async () => {
    harness = await startHarness({ redisUrl: testRedisUrl(), understand: HUMAN, env: { HANDOFF_AFFINITY_MS: '60000' } });
    await harness.say('amy', 'human please', 'en');
    const kit = await harness.agent('kit');
    const first = await kit.next();
    await kit.call('POST', `/api/agent/handoffs/${first.body.handoff.id}/resolve`, { disposition: 'solved' });
    await harness.customers.waitFor('amy', /rate/);
    await harness.say('amy', '4', 'en');
    await harness.say('amy', 'skip', 'en');
    // Amy comes back; Kit is online and has the skill: Ann (same skill and language) may not take it.
    await harness.say('amy', 'human again', 'en');
    const record = await harness.feature.queue.get((await harness.feature.queue.waitingIds())[0]!);
    expect(record?.reservedFor).to.equal('kit');
    const ann = await harness.agent('ann');
    expect((await ann.next()).status).to.equal(204);
    expect((await kit.next()).body.handoff.id).to.equal(record?.id);
  });

  it("the agent survey reads the rating as the bot's own survey does: a tapped label counts", async () => {
    harness = await startHarness({ understand: HUMAN });
    await harness.say('lee', 'human please', 'en');
    const kit = await harness.agent('kit');
    const first = await kit.next();
    await kit.call('POST', `/api/agent/handoffs/${first.body.handoff.id}/resolve`, { disposition: 'solved' });
    await harness.customers.waitFor('lee', /rate/);
    await harness.say('lee', '5 excellent', 'en');
    await harness.say('lee', 'skip', 'en');
    expect((await harness.feature.csat.list()).map((entry) => [entry.customerId, entry.score])).to.deep.include(['lee', 5]);
  });

  it('affinity window over: anyone with the skill gets it', async () => {
    harness = await startHarness({ redisUrl: testRedisUrl(), understand: HUMAN, env: { HANDOFF_AFFINITY_MS: '1' } });
    await harness.feature.queue.setLastAgent('customers/bo', 'kit');
    await harness.feature.queue.heartbeat('kit');
    await harness.say('bo', 'human please', 'en');
    const ann = await harness.agent('ann');
    const got = await eventually(async () => {
      const r = await ann.next();
      return r.status === 200 ? r.body : undefined;
    });
    expect(got.handoff.payload.customer.id).to.equal('bo');
  });

  it('priority: an angry customer jumps ahead of a calm one', async () => {
    harness = await startHarness({
      redisUrl: testRedisUrl(),
      understand: (text) =>
        text === 'this is outrageous, human now'
          ? { intent: 'core.human', sentiment: { score: -0.9, label: 'negative', angry: true } }
          : HUMAN(text),
    });
    await harness.say('calm', 'human please', 'en');
    await harness.say('angry', 'this is outrageous, human now', 'en');
    const ann = await harness.agent('ann');
    expect((await ann.next()).body.handoff.payload.customer.id).to.equal('angry');
    expect((await ann.next()).body.handoff.payload.customer.id).to.equal('calm');
  });

  it('negative sentiment hands off on its own: one strongly negative message', async () => {
    harness = await startHarness({
      redisUrl: testRedisUrl(),
      understand: (text) => (text === '你哋啲服務差到極' ? { intent: null, sentiment: { score: -0.95, label: 'negative', angry: true } } : undefined),
    });
    await harness.say('lam', '你哋啲服務差到極');
    expect(harness.customers.lines('lam').at(-1)).to.match(/排第 1 位/);
    const record = await harness.feature.queue.get((await harness.feature.queue.waitingIds())[0]!);
    expect(record?.payload.reason).to.equal('sentiment');
  });

  it('an angry message about a topic that goes to a person anyway is left to the dialogs (answer first, then its own skill)', async () => {
    harness = await startHarness({
      redisUrl: testRedisUrl(),
      handoffTopics: ['hr.grievance'],
      understand: (text) => (text === '我個主管成日鬧我，好嬲' ? { intent: 'hr.grievance', sentiment: { score: -0.95, label: 'negative', angry: true } } : undefined),
    });
    await harness.say('lam', '我個主管成日鬧我，好嬲');
    expect(harness.customers.lines('lam')[0]).to.equal('(the answer to hr.grievance)');
    const waiting = await harness.feature.queue.waitingIds();
    expect(waiting).to.have.length(1);
    expect((await harness.feature.queue.get(waiting[0]!))?.payload.reason).to.equal('topic');
  });

  it('a message that cannot be delivered is reported to the agent, not dropped', async () => {
    harness = await startHarness({ redisUrl: testRedisUrl(), understand: HUMAN });
    await harness.say('pat', 'human please', 'en');
    const ann = await harness.agent('ann');
    await ann.connect();
    const { body } = await ann.next();
    harness.customers.failSends = true;
    const sent = await ann.send(body.handoff.id, 'are you there?');
    await ann.waitForEvent((e) => e.type === 'delivery' && e.messageId === sent.body.messageId && e.delivery === 'failed');
    const view = await ann.get(body.handoff.id);
    expect(view.body.messages.find((m: { id: string }) => m.id === sent.body.messageId)).to.include({ delivery: 'failed', error: 'channel is down' });
  });

  it('rejects bad logins and malformed requests with reasons', async () => {
    harness = await startHarness({ redisUrl: testRedisUrl() });
    const bad = await fetch(`${harness.url}/api/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agentId: 'kit', password: 'nope' }) });
    expect(bad.status).to.equal(401);
    const missing = await fetch(`${harness.url}/api/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(missing.status).to.equal(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).to.match(/agentId/);
    expect((await fetch(`${harness.url}/api/agent/queues`)).status).to.equal(401);
    const kit = await harness.agent('kit');
    expect((await kit.call('POST', '/api/agent/handoffs/nope/messages', { text: '' })).status).to.equal(400);
    expect((await kit.get('nope')).status).to.equal(404);
    const queues = await kit.call('GET', '/api/agent/queues');
    expect(queues.body.skills).to.include.members(['general', 'cards', 'mortgage']);
    const spec = await fetch(`${harness.url}/openapi.json`);
    expect(((await spec.json()) as { paths: Record<string, unknown> }).paths).to.include.keys('/api/agent/login', '/api/agent/handoffs/next');
  });
});

describe('MemoryCsatStore', () => {
  it('keeps only the latest answers', async () => {
    const store = new MemoryCsatStore(2);
    for (const score of [1, 2, 3]) await store.record({ handoffId: `h${score}`, skill: 'general', channelId: 'test', customerId: 'c', score, at: new Date(0).toISOString() });
    expect((await store.list()).map((entry) => entry.score)).to.deep.equal([2, 3]);
  });
});
