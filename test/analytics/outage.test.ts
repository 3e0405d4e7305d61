import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import type { AnalyticsFeature } from '../../src/analytics/analytics-feature.js';
import { KyselyAnalyticsStore } from '../../src/analytics/store/kysely-store.js';
import { createDialogBot, type DialogBot } from '../support/dialog-bot.js';
import { TEST_DATABASE_URL } from './support.js';

/** A TCP proxy to PostgreSQL the test can take down and bring back. */
class Outage {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: URL) {}

  async up(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(Number(this.target.port || 5432), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => this.sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async down(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

const until = async (check: () => Promise<boolean> | boolean) => {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not met');
};

describe('analytics: the store goes down and comes back', () => {
  const target = new URL(TEST_DATABASE_URL);
  const schema = `test_${randomUUID().replace(/-/g, '')}`;
  let outage: Outage;
  let bot: DialogBot;
  let reader: KyselyAnalyticsStore;

  before(async () => {
    outage = new Outage(target);
    await outage.up();
    const proxied = new URL(TEST_DATABASE_URL);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(outage.port);
    bot = await createDialogBot({ DATABASE_URL: proxied.toString(), ANALYTICS_DB_SCHEMA: schema, ANALYTICS_FLUSH_MS: '20', ANALYTICS_RETRY_MAX_MS: '50' });
    reader = new KyselyAnalyticsStore({ databaseUrl: TEST_DATABASE_URL, schema });
  });
  after(async () => {
    await bot?.close();
    await outage.down();
    await reader.dropSchema();
    await reader?.close();
  });

  it('answers every turn while the store is down and writes the buffered events when it returns', async () => {
    const analytics = bot.carebot.features.find((f) => f.name === 'analytics') as AnalyticsFeature;
    await analytics.start?.();
    await bot.conversation({ channelId: 'whatsapp', userId: 'before' }).send('hello').assertReply(() => undefined);
    await analytics.writer.flush();
    expect(analytics.writer.stats().buffered).to.equal(0);

    await outage.down();
    for (let i = 0; i < 5; i++) {
      // Every turn still gets its answer: the recorder only appends to the buffer.
      await bot.conversation({ channelId: 'whatsapp', userId: `during-${i}` }).send('my email is someone@example.com').assertReply((reply) => expect(reply.text).to.be.a('string').and.not.equal(''));
    }
    await until(() => analytics.writer.stats().failedAttempts > 0);
    expect(analytics.writer.stats().storeUp).to.equal(false);
    expect(analytics.writer.stats().buffered).to.be.greaterThan(0);

    await outage.up();
    await until(() => analytics.writer.stats().buffered === 0 && analytics.writer.stats().storeUp);
    expect(analytics.writer.stats().dropped).to.equal(0);
    const turns = await reader.turns({ since: 0, until: Date.now() + 60_000 });
    expect(turns).to.have.length(6);
    expect(turns.filter((t) => t.text === 'my email is [EMAIL]')).to.have.length(5);
    expect(turns.every((t) => t.channel === 'whatsapp' && t.mode === 'bot' && t.latencyMs !== null)).to.equal(true);
    const metrics = await (await import('prom-client')).Registry.merge([analytics.prometheus.registry]).getSingleMetricAsString('carebot_analytics_events_dropped_total');
    expect(metrics).to.match(/carebot_analytics_events_dropped_total 0/);
  });

  it('counts what a full buffer had to drop', async () => {
    const { EventWriter } = await import('../../src/analytics/event-writer.js');
    const { memoryLogger } = await import('../support/silent-logger.js');
    const down = { write: async () => Promise.reject(new Error('down')) } as unknown as KyselyAnalyticsStore;
    const writer = new EventWriter(down, { batchSize: 2, flushMs: 10, bufferLimit: 3, retryMaxMs: 20, logger: memoryLogger('silent').logger });
    for (let i = 0; i < 5; i++) writer.record({ kind: 'transcript', id: String(i), at: i, conversation: 'c', user: 'u', channel: 'x', role: 'bot', text: 'x' });
    expect(writer.stats()).to.include({ buffered: 3, dropped: 2 });
    await writer.close();
    expect(writer.stats()).to.include({ buffered: 0, dropped: 5 });
  });
});
