import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { TestAdapter, type Activity } from 'botbuilder';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { AnalyticsFeature } from '../../src/analytics/analytics-feature.js';
import { MemoryConversationStore } from '../../adapters/kiosk/store/memory-conversation-store.js';
import { hashPassword } from '../../src/agent/password.js';
import { createCarebot, type Carebot } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { listen, type RunningServer } from '../../src/http/http-server.js';
import { dumpRedis, keysMentioning } from '../support/redis-dump.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { memoryLogger } from '../support/silent-logger.js';

const TOKEN = 'erasure-test-admin-token-123456';
const PASSWORD = 'correct horse battery staple';
/** The user to erase: a WhatsApp-style id (a phone number), and words only they wrote. */
const USER = '85291234567@c.us';
const TEXTS = ['my parcel quixotic-7731 never arrived', 'the courier zanzibar-4402 lost it'];

describe('DELETE /api/admin/users/:id erases a user everywhere', function () {
  this.timeout(90_000);
  let redisServer: PrivateRedis | undefined;
  let carebot: Carebot | undefined;
  let server: RunningServer | undefined;
  let redis: Redis | undefined;
  let dir: string | undefined;
  after(async () => {
    await server?.close(1000);
    await carebot?.close();
    await redis?.quit();
    await redisServer?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves nothing in Redis or the analytics database that mentions the user or their texts, and says what went', async () => {
    redisServer = await startPrivateRedis();
    dir = mkdtempSync(join(tmpdir(), 'carebot-erasure-'));
    writeFileSync(join(dir, 'agents.yaml'), `agents:\n  - id: ann\n    name: Ann\n    skills: [general]\n    languages: [en]\n    passwordHash: "${await hashPassword(PASSWORD)}"\n`);
    carebot = await createCarebot(
      loadConfig({
        NODE_ENV: 'test',
        KNOWLEDGE_WATCH: 'false',
        REDIS_URL: redisServer.url,
        ADMIN_TOKEN: TOKEN,
        HANDOFF_AGENTS_FILE: join(dir, 'agents.yaml'),
        HANDOFF_POSITION_INTERVAL_MS: '600000',
      }),
      { logger: memoryLogger('silent').logger },
    );
    await carebot.start();
    server = await listen(carebot.app, '127.0.0.1', 0);
    const conversation = (userId: string) =>
      carebot!.bot.attachTo(
        new TestAdapter((context) => carebot!.bot.run(context), {
          channelId: 'whatsapp',
          serviceUrl: 'test://whatsapp',
          conversation: { id: `conversation-${randomUUID()}`, isGroup: false, name: '' },
          from: { id: userId, name: 'Customer' },
          recipient: { id: 'carebot', name: 'carebot' },
        } as unknown as Partial<Activity>),
      );

    // The user talks to the bot, asks for a person, writes while waiting and to the agent.
    const customer = conversation(USER);
    await customer.send(TEXTS[0]!).assertReply(() => undefined);
    await customer.send('I want to talk to a human').assertReply(() => undefined);
    await customer.send(TEXTS[1]!).then(() => undefined);
    const login = await fetch(`${server.url}/api/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agentId: 'ann', password: PASSWORD }) });
    const agent = { authorization: `Bearer ${((await login.json()) as { token: string }).token}`, 'content-type': 'application/json' };
    const accepted = await fetch(`${server.url}/api/agent/handoffs/next`, { method: 'POST', headers: agent });
    expect(accepted.status).to.equal(200);
    const { handoff } = (await accepted.json()) as { handoff: { id: string; payload: { customer: { id: string } } } };
    expect(handoff.payload.customer.id).to.equal(USER);
    // No process owns this test channel, so the reply waits in its outbound queue: a job to erase.
    expect((await fetch(`${server.url}/api/agent/handoffs/${handoff.id}/messages`, { method: 'POST', headers: agent, body: JSON.stringify({ text: 'Ann here, looking at it' }) })).status).to.equal(202);
    // Another user, who must keep everything.
    await conversation('someone-else').send('hello there').assertReply(() => undefined);

    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    const analytics = carebot.features.find((f) => f.name === 'analytics') as AnalyticsFeature;
    await analytics.writer.flush();
    const before = await dumpRedis(redis);
    const needles = [USER, ...TEXTS];
    expect(keysMentioning(before, needles).length, 'the scenario stored the user in Redis').to.be.greaterThan(5);
    expect((await analytics.store.exportUser(analytics.keys.user(USER))).turns.length).to.be.greaterThan(1);

    const response = await fetch(`${server.url}/api/admin/users/${encodeURIComponent(USER)}`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { erased: Record<string, Record<string, number>>; deleted: number };
    expect(body.erased.state).to.deep.include({ userState: 1, conversationState: 1 });
    expect(body.erased.handoff).to.deep.include({ transcripts: 1, handoffs: 1, outboundMessages: 2 });
    expect(body.erased.analytics!.rows).to.be.greaterThan(3);
    expect(body.deleted).to.be.greaterThan(10);

    const after = await dumpRedis(redis);
    expect(keysMentioning(after, needles)).to.deep.equal([]);
    expect(keysMentioning(after, ['someone-else']).length, 'the other user is untouched').to.be.greaterThan(0);
    const range = { since: 0, until: Date.now() + 60_000 };
    const rows = [...(await analytics.store.turns(range)), ...(await analytics.store.transcript(range)), ...(await analytics.store.handoffEvents(range)), ...(await analytics.store.csat(range))];
    expect(rows.filter((row) => row.user === analytics.keys.user(USER) || needles.some((needle) => JSON.stringify(row).includes(needle)))).to.deep.equal([]);
    expect(rows.length, 'the other user\'s rows stay').to.be.greaterThan(0);
  });
});

describe('kiosk conversations on erasure', () => {
  it('forgets the visitor\'s conversations and activity logs, and only theirs', async () => {
    const store = new MemoryConversationStore({ maxActivities: 10, maxConversations: 10, idleMs: 60_000 });
    for (const [id, userId] of [['k1', 'visitor-1'], ['k2', 'visitor-1'], ['k3', 'visitor-2']] as const) {
      await store.create({ id, deviceId: 'robot-1', userId, userName: undefined, locale: 'en' });
      await store.append(id, { type: 'message', text: `hello from ${userId}` });
    }
    expect(await store.eraseUser('visitor-1')).to.equal(2);
    expect([await store.get('k1'), await store.get('k2')]).to.deep.equal([undefined, undefined]);
    expect((await store.get('k3'))?.userId).to.equal('visitor-2');
    expect(await store.eraseUser('visitor-1')).to.equal(0);
  });
});
