import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { Entity } from '../../src/nlu/types.js';
import { dumpRedis, keysMentioning } from '../support/redis-dump.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { eventually, startHarness, type Harness } from './harness.js';

/** Personal data a customer types: each must reach the agent redacted and never be stored raw in Redis. */
const PII = {
  card: '4111 1111 1111 1111',
  hkid: 'A123456(3)',
  cnId: '11010519491231002X',
  phone: '9123 4567',
  international: '+852 6123 4567',
  cnMobile: '13812345678',
  email: 'eve@example.com',
};

/**
 * Keys that hold no customer data, only ids, skill names and scores, and live as long as the
 * queues: handoff queue indexes and BullMQ's own bookkeeping (never a job: job hashes are checked
 * apart). Every other key must expire.
 */
const STRUCTURAL = [
  /:handoff:(queues|leases|presence|outbox)$/,
  /:handoff:(waiting|held|offers):[^:]+(:[^:]+)?$/,
  /:bull:[^:]+:(meta|id|events|stalled-check|completed|failed|wait|paused|active|prioritized|delayed|pc|marker|stalled|limiter)$/,
];

describe('personal data in Redis after a full handoff', function () {
  this.timeout(60_000);
  let redisServer: PrivateRedis | undefined;
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await redisServer?.destroy();
    redisServer = undefined;
  });

  it('keeps no raw card, HKID, PRC ID, phone or email anywhere, and every carebot key expires', async () => {
    // A Redis of this test alone, so "every key" means every key.
    redisServer = await startPrivateRedis();
    const entity = (type: string, text: string) => ({ type, text, start: 0, end: text.length, value: text }) as unknown as Entity;
    harness = await startHarness({
      redisUrl: redisServer.url,
      understand: (text) => (/human/.test(text) ? { intent: 'core.human', language: 'en', entities: [entity('email', PII.email), entity('phone', PII.phone)] } : undefined),
    });
    await harness.say('eve', `my card is ${PII.card} and my HKID ${PII.hkid}`, 'en');
    await harness.say('eve', `I want a human, mail ${PII.email} or call ${PII.phone}`, 'en');
    await harness.say('eve', `my id is ${PII.cnId}`, 'en');
    const ann = await harness.agent('ann');
    const accepted = await ann.next();
    expect(accepted.status).to.equal(200);
    const id = accepted.body.handoff.id as string;
    // What the agent sees is redacted.
    expect(JSON.stringify(accepted.body)).to.include('[CARD]').and.include('[EMAIL]').and.include('[CN_ID]').and.not.include(PII.email);
    expect((await ann.send(id, `Thanks, I have ${PII.phone} on file`)).status).to.equal(202);
    await harness.customers.waitFor('eve', `Thanks, I have ${PII.phone} on file`);
    await harness.say('eve', `call me on ${PII.international} or ${PII.cnMobile}`, 'en');
    expect((await ann.call('POST', `/api/agent/handoffs/${id}/resolve`, { disposition: 'solved' })).status).to.equal(200);
    await harness.customers.waitFor('eve', /1.*5/);
    await harness.say('eve', '4', 'en');
    await harness.say('eve', `email me at ${PII.email}`, 'en');
    // A callback booked outside working hours keeps the customer's words too.
    await harness.say('zoe', `my card ${PII.card} was charged twice, call ${PII.cnMobile}`, 'en');
    await harness.customers.say('zoe', 'mortgage', 'en', async (context) => {
      await harness!.feature.service.request(context, { reason: 'topic', skill: 'mortgage' });
      await harness!.bot.conversationState.saveChanges(context);
    });
    await harness.say('zoe', 'yes', 'en');
    expect((await ann.call('GET', '/api/agent/callbacks')).body.callbacks).to.have.length(1);

    const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    try {
      // Delivered messages' jobs go (their text is personal data); wait for the last one.
      const jobs = async () => (await dumpRedis(redis)).filter((k) => k.type === 'hash' && /:bull:/.test(k.key) && k.text.includes('"data"'));
      await eventually(async () => (await jobs()).length === 0 || undefined);
      const dump = await dumpRedis(redis);
      expect(dump.length).to.be.greaterThan(10);
      expect(keysMentioning(dump, Object.values(PII))).to.deep.equal([]);
      const forever = dump.filter((k) => k.ttlMs < 0 && !STRUCTURAL.some((pattern) => pattern.test(k.key))).map((k) => k.key);
      expect(forever).to.deep.equal([]);
    } finally {
      await redis.quit();
    }
  });
});

