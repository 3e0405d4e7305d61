import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import express from 'express';
import { newEventId } from '../src/analytics/event-id.js';
import { AnalyticsQueries } from '../src/analytics/analytics-queries.js';
import { createAnalyticsRouter } from '../src/analytics/analytics-router.js';
import { LoginGuard } from '../src/http/login-guard.js';
import { EventWriter } from '../src/analytics/event-writer.js';
import { AnalyticsKeys } from '../src/analytics/keys.js';
import { AnalyticsPrometheus } from '../src/analytics/prometheus.js';
import { KyselyAnalyticsStore } from '../src/analytics/store/kysely-store.js';
import { clusterMessages } from '../src/analytics/topics/cluster.js';
import { topicTerms } from '../src/analytics/topics/tokenize.js';
import type { TurnEvent } from '../src/analytics/types.js';
import { createLogger } from '../src/logger.js';
import { projectRoot } from '../src/project-root.js';

const PHRASES = [
  'roaming charges too high', '漫遊費太貴', '漫游费用太高', 'my parcel delivery is late', '网络好慢', 'app keeps crashing', '退款什么时候到',
  'cannot log in to the app', '點解張單咁貴', 'where is my refund', 'network signal is weak', '我想取消合約', 'password reset does not work',
];

function turn(i: number, at: number): TurnEvent {
  return {
    kind: 'turn', id: newEventId(), at, channel: ['whatsapp', 'wechat', 'teams', 'kiosk'][i % 4]!, conversation: `c${Math.floor(i / 4)}`, user: `u${i % 5000}`,
    locale: ['en', 'zh-CN', 'zh-HK', 'zh-TW'][i % 4]!, language: 'en', intent: i % 5 === 0 ? null : `pack${i % 3}.intent${i % 17}`, pack: i % 5 === 0 ? null : `pack${i % 3}`,
    confidence: 0.8, outOfScope: i % 5 === 0, ambiguous: false, fallback: i % 5 === 0, sentiment: 0, sentimentLabel: i % 7 === 0 ? 'negative' : 'neutral',
    answerId: null, latencyMs: 40 + (i % 50), mode: 'bot', text: `${PHRASES[i % PHRASES.length]} ${i % 97}`,
  };
}

async function eventsPerSecond(store: KyselyAnalyticsStore, count: number): Promise<number> {
  await store.migrate();
  const writer = new EventWriter(store, { batchSize: 500, flushMs: 5, bufferLimit: count + 1, retryMaxMs: 100, logger: createLogger({ level: 'silent' }) });
  const now = Date.now();
  const started = performance.now();
  for (let i = 0; i < count; i++) writer.record(turn(i, now - (i % (7 * 86_400)) * 1000));
  await writer.flush();
  return count / ((performance.now() - started) / 1000);
}

/** Analytics figures: events/s per backend, clustering time for 100k messages, dashboard API p99. */
export async function runAnalyticsBench(print: (line: string) => void, options: { databaseUrl?: string | undefined } = {}): Promise<void> {
  print('\nanalytics');
  const dir = mkdtempSync(join(tmpdir(), 'carebot-analytics-bench-'));
  const sqlite = new KyselyAnalyticsStore({ sqliteFile: join(dir, 'bench.sqlite') });
  try {
    print(`  SQLite store (file, WAL): ${Math.round(await eventsPerSecond(sqlite, 50_000)).toLocaleString('en')} events/s (50k turn events, batches of 500)`);
    if (options.databaseUrl) {
      const schema = `bench_${randomUUID().replace(/-/g, '')}`;
      const pg = new KyselyAnalyticsStore({ databaseUrl: options.databaseUrl, schema });
      try {
        print(`  PostgreSQL store: ${Math.round(await eventsPerSecond(pg, 50_000)).toLocaleString('en')} events/s (50k turn events, batches of 500)`);
      } catch (error) {
        print(`  PostgreSQL store: skipped (${(error as Error).message})`);
      } finally {
        await pg.dropSchema().catch(() => undefined);
        await pg.close();
      }
    } else {
      print('  PostgreSQL store: skipped (set DATABASE_URL)');
    }

    const messages = Array.from({ length: 100_000 }, (_, i) => `${PHRASES[i % PHRASES.length]} ${['please', 'again', 'today', '今日', '又係'][i % 5]}`);
    let started = performance.now();
    const terms = messages.map((m) => ({ terms: topicTerms(m) }));
    const tokenizeMs = performance.now() - started;
    started = performance.now();
    const clusters = clusterMessages(terms);
    print(`  hot topics, 100k messages: tokenize ${Math.round(tokenizeMs)} ms + cluster ${Math.round(performance.now() - started)} ms → ${clusters.filter((c) => c.members.length >= 3).length} topics`);

    const queries = new AnalyticsQueries(sqlite);
    const token = 'bench-admin-token-1234567890';
    const app = express();
    const writer = new EventWriter(sqlite, { batchSize: 500, flushMs: 1000, bufferLimit: 1000, retryMaxMs: 1000, logger: createLogger({ level: 'silent' }) });
    app.use(createAnalyticsRouter({
      adminToken: token, loginGuard: LoginGuard.create({ maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, lockoutSeconds: 900 }, undefined, 'bench', createLogger({ level: 'silent' })), queries, store: sqlite, writer, prometheus: new AnalyticsPrometheus(() => 0), publicDir: join(projectRoot(), 'src', 'analytics', 'public'),
      queueStats: async () => undefined, now: Date.now, secureCookies: false, keys: new AnalyticsKeys(randomBytes(32)),
    }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/admin/analytics/metrics?since=7d`;
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t = performance.now();
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      times.push(performance.now() - t);
    }
    server.close();
    times.sort((a, b) => a - b);
    print(`  dashboard metrics API (50k turns in 7 days, SQLite): p50 ${Math.round(times[29]!)} ms, p99 ${Math.round(times[Math.ceil(0.99 * times.length) - 1]!)} ms over ${times.length} requests`);
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
