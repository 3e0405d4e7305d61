import { join } from 'node:path';
import { loginGuardOf, type CarebotFeature, type FeatureDeps } from '../feature.js';
import type { HandoffFeature } from '../handoff/handoff-feature.js';
import { AnalyticsQueries } from './analytics-queries.js';
import { AnalyticsCsatRecorder } from './csat-recorder.js';
import { LearnedNextQuestions } from './next-questions.js';
import { createAnalyticsStore } from './create-store.js';
import { EventWriter } from './event-writer.js';
import { resolveHashSecret } from './hash-secret.js';
import { recordHandoffs } from './handoff-recorder.js';
import { AnalyticsKeys } from './keys.js';
import { createAnalyticsRouter } from './analytics-router.js';
import { AnalyticsPrometheus } from './prometheus.js';
import type { AnalyticsStore } from './store/analytics-store.js';
import { TurnRecorder } from './turn-recorder.js';
import { TeachService } from './teach/teach-service.js';
import type { ContentTeacher } from '../knowledge/content-teacher.js';

export interface AnalyticsFeature extends CarebotFeature {
  readonly store: AnalyticsStore;
  readonly writer: EventWriter;
  readonly queries: AnalyticsQueries;
  readonly prometheus: AnalyticsPrometheus;
  readonly recorder: TurnRecorder;
  /** Hashes user and conversation ids (HMAC with the installation's secret). */
  readonly keys: AnalyticsKeys;
  /** What users asked next after each intent, for the dialogs' suggestions. */
  readonly nextQuestions: LearnedNextQuestions;
  /** End-of-conversation survey answers from the dialogs. */
  readonly csatRecorder: AnalyticsCsatRecorder;
  /** Plugs in the handoff feature's lifecycle events and conversation mode once it exists. */
  observe(features: readonly CarebotFeature[]): void;
}

export interface AnalyticsFeatureOptions {
  /** Replaces the configured store (embedders, tests). */
  readonly store?: AnalyticsStore;
  readonly now?: () => number;
  /** Writes lessons into the learned overlay and retrains; without it the review screen's API answers 503. */
  readonly teacher?: ContentTeacher;
  /** The installation's hash secret, when the caller resolved it already (resolveHashSecret). */
  readonly hashSecret?: string;
}

const DAY_MS = 86_400_000;

/** How users turn down a "did you mean" (the dialogs' choice titles), lower-cased, in every locale. */
function rejectionTitles(deps: FeatureDeps): Set<string> {
  const titles = new Set(['neither', 'no']);
  for (const lng of ['en', 'zh-CN', 'zh-TW', 'zh-HK']) {
    for (const key of ['dialogs:neither', 'dialogs:confirmNo']) titles.add(deps.i18n.t(key, { lng }).trim().toLowerCase());
  }
  return titles;
}

/**
 * Records turns, handoffs, CSAT and transcripts (redacted) and serves metrics, hot topics and
 * the dashboard. Created by the composition root before the handoff feature so its turn
 * recorder wraps the whole `late` pipeline; `observe` then hooks into the handoff feature.
 */
export async function createAnalyticsFeature(deps: FeatureDeps, options: AnalyticsFeatureOptions = {}): Promise<AnalyticsFeature | undefined> {
  const { config } = deps;
  const settings = config.analytics;
  if (!settings.enabled) return undefined;
  const logger = deps.logger.child({ component: 'analytics' });
  const now = options.now ?? Date.now;
  const store = options.store ?? createAnalyticsStore(settings, deps.rootDir, config.env);
  const keys = new AnalyticsKeys(options.hashSecret ?? resolveHashSecret(settings, deps.rootDir, config.env, logger));
  const buffered = { count: () => 0 };
  const prometheus = new AnalyticsPrometheus(() => buffered.count());
  const writer = new EventWriter(store, {
    batchSize: settings.batchSize,
    flushMs: settings.flushMs,
    bufferLimit: settings.bufferLimit,
    retryMaxMs: settings.retryMaxMs,
    logger,
    onWritten: (count) => prometheus.eventsWritten.inc(count),
    onDropped: (count) => prometheus.eventsDropped.inc(count),
    onDeadLettered: (count) => prometheus.eventsDeadLettered.inc(count),
    now,
  });
  buffered.count = () => writer.stats().buffered;
  const queries = new AnalyticsQueries(store);
  const recorder = new TurnRecorder({ writer, keys, prometheus, defaultLocale: config.defaultLocale, now });
  const unsubscribe: (() => void)[] = [];
  let handoff: HandoffFeature | undefined;
  let retentionTimer: NodeJS.Timeout | undefined;
  let learnTimer: NodeJS.Timeout | undefined;
  const nextQuestions = new LearnedNextQuestions(store, logger, { now });

  const purge = async () => {
    if (settings.retentionDays <= 0) return;
    const removed = await store.purgeTexts(now() - settings.retentionDays * DAY_MS);
    if (removed) logger.info({ removed, retentionDays: settings.retentionDays }, 'analytics retention: old texts removed');
  };

  const teach = options.teacher
    ? new TeachService({ store, writer, teacher: options.teacher, content: deps.content, logger, now, rejections: rejectionTitles(deps) })
    : undefined;
  const router = createAnalyticsRouter({
    teach,
    adminToken: config.adminToken,
    loginGuard: loginGuardOf(deps),
    metricsToken: config.security.metricsToken,
    metricsPublic: config.security.metricsToken === undefined && config.env !== 'production',
    queries,
    store,
    writer,
    prometheus,
    publicDir: join(deps.rootDir, 'src', 'analytics', 'public'),
    queueStats: async () => (handoff ? handoff.queue.stats() : undefined),
    now,
    secureCookies: config.env === 'production',
    keys,
  });

  const feature: AnalyticsFeature = {
    name: 'analytics',
    store,
    writer,
    queries,
    prometheus,
    recorder,
    // The turn recorder reads what the turn understood and sent, so it wraps understanding and the dialogs.
    middleware: [{ stage: 'aroundUnderstanding', middleware: recorder }],
    keys,
    nextQuestions,
    csatRecorder: new AnalyticsCsatRecorder(writer, prometheus, now, keys),
    routers: [router],
    // Turns are answered while the store is down, but a writer that has not written for minutes is losing events.
    readinessChecks: [{ name: 'analytics', check: () => writer.checkProgress() }],
    observe(features) {
      handoff = features.find((f): f is HandoffFeature => f.name === 'handoff' && 'service' in f);
      if (!handoff) return;
      const service = handoff.service;
      unsubscribe.push(recordHandoffs(service, writer, prometheus, logger, keys));
      recorder.setModeSource((context) => service.mode(context));
    },
    async eraseUser(userId) {
      // Events of the user still in the buffer would be written after the delete: write them first.
      await writer.flush();
      const rows = await store.deleteUser(keys.user(userId));
      keys.forgetAll();
      return { rows };
    },
    async start() {
      try {
        await store.migrate();
      } catch (error) {
        // Turns are answered without the store; the writer keeps retrying (and migrates first).
        logger.error({ err: error }, 'analytics store is not reachable at startup; buffering events');
      }
      await purge().catch((error: unknown) => logger.warn({ err: error }, 'analytics retention run failed'));
      retentionTimer = setInterval(() => void purge().catch((error: unknown) => logger.warn({ err: error }, 'analytics retention run failed')), 6 * 60 * 60 * 1000);
      retentionTimer.unref();
      // Learned in the background: a large history must not hold up startup.
      void nextQuestions.refresh();
      learnTimer = setInterval(() => void nextQuestions.refresh(), 15 * 60 * 1000);
      learnTimer.unref();
    },
    async close() {
      if (retentionTimer) clearInterval(retentionTimer);
      if (learnTimer) clearInterval(learnTimer);
      for (const stop of unsubscribe) stop();
      await writer.close();
      await store.close();
    },
  };
  return feature;
}
