import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { adminCookie, checkAdminToken, isAdminToken, presentedAdminToken, requireAdmin } from '../http/admin-auth.js';
import { refuseLocked, type LoginGuard } from '../http/login-guard.js';
import type { QueueStats } from '../handoff/types.js';
import type { AnalyticsQueries } from './analytics-queries.js';
import type { EventWriter } from './event-writer.js';
import type { AnalyticsKeys } from './keys.js';
import type { MetricsFilter } from './metrics.js';
import type { AnalyticsPrometheus } from './prometheus.js';
import type { AnalyticsStore } from './store/analytics-store.js';
import { parseSince } from './time-range.js';

export interface AnalyticsRouterDeps {
  readonly adminToken: string | undefined;
  readonly loginGuard: LoginGuard;
  /** Bearer token /metrics asks for (METRICS_TOKEN). */
  readonly metricsToken?: string | undefined;
  /** Without a token: true = /metrics is open (outside production), false = 503 METRICS_DISABLED. */
  readonly metricsPublic?: boolean;
  readonly queries: AnalyticsQueries;
  readonly store: AnalyticsStore;
  readonly writer: EventWriter;
  readonly prometheus: AnalyticsPrometheus;
  readonly publicDir: string;
  readonly queueStats: () => Promise<QueueStats[] | undefined>;
  readonly now: () => number;
  readonly secureCookies: boolean;
  readonly keys: AnalyticsKeys;
}

const DAY_MS = 86_400_000;

/** `/metrics`, `/dashboard` (admin login) and the admin analytics API. */
export function createAnalyticsRouter(deps: AnalyticsRouterDeps): Router {
  const router = Router();
  const admin = requireAdmin(deps.adminToken, deps.loginGuard);
  const require = createRequire(import.meta.url);
  const uplotDir = join(require.resolve('uplot/dist/uPlot.iife.min.js'), '..');
  const page = (name: string) => readFileSync(join(deps.publicDir, name), 'utf8');
  const loginPage = (error?: string) =>
    error ? page('login.html').replace('<!--error-->', `<p class="error" role="alert">${escapeHtml(error)}</p>`) : page('login.html');

  router.get('/metrics', async (req, res) => {
    const { metricsToken } = deps;
    if (metricsToken === undefined && deps.metricsPublic === false) {
      res.status(503).json({ error: { code: 'METRICS_DISABLED', message: 'Set METRICS_TOKEN to scrape /metrics in production' } });
      return;
    }
    if (metricsToken !== undefined) {
      const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
      const outcome = presented === undefined ? { ok: false as const } : await deps.loginGuard.attempt('metrics', { address: req.ip ?? '' }, () => isAdminToken(metricsToken, presented) || undefined);
      if (!outcome.ok) {
        if (outcome.locked) return refuseLocked(res, outcome.locked);
        res.setHeader('WWW-Authenticate', 'Bearer realm="carebot metrics"');
        res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'Missing or wrong metrics token' } });
        return;
      }
    }
    res.setHeader('Content-Type', deps.prometheus.registry.contentType);
    res.send(await deps.prometheus.registry.metrics());
  });

  router.get('/dashboard', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (!deps.adminToken) {
      res.status(503).type('text/plain').send('The dashboard is off: set ADMIN_TOKEN.');
      return;
    }
    const presented = presentedAdminToken(req.headers);
    // A stale or guessed cookie counts like a wrong token at the login form.
    const outcome = presented === undefined ? { ok: false as const } : await checkAdminToken(deps.loginGuard, deps.adminToken, presented, req);
    if (outcome.ok) return void res.type('html').send(page('dashboard.html'));
    if (outcome.locked) res.status(429).setHeader('Retry-After', String(outcome.locked.retryAfterSeconds));
    res.type('html').send(loginPage(outcome.locked?.reason));
  });
  router.post('/dashboard/login', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const token = typeof req.body?.token === 'string' ? req.body.token : undefined;
    const outcome = deps.adminToken && token ? await checkAdminToken(deps.loginGuard, deps.adminToken, token, req) : { ok: false as const };
    if (!outcome.ok) {
      if (outcome.locked) res.setHeader('Retry-After', String(outcome.locked.retryAfterSeconds));
      res.status(outcome.locked ? 429 : 401).type('html').send(loginPage(outcome.locked?.reason ?? 'Wrong admin token.'));
      return;
    }
    res.setHeader('Set-Cookie', adminCookie(token!, deps.secureCookies));
    res.redirect(303, '/dashboard');
  });
  router.use('/dashboard/assets', express.static(deps.publicDir, { index: false, maxAge: '1h' }));
  router.use('/dashboard/uplot', express.static(uplotDir, { index: false, maxAge: '1d' }));

  router.get('/api/admin/analytics/metrics', admin, async (req, res) => {
    res.json(await deps.queries.metrics(filterOf(req, deps.now())));
  });
  router.get('/api/admin/analytics/topics', admin, async (req, res) => {
    const topics = await deps.queries.topics(filterOf(req, deps.now()));
    res.json({ topics: topics.map(({ messages: _messages, ...topic }) => topic) });
  });
  router.get('/api/admin/analytics/learning.csv', admin, async (req, res) => {
    res.setHeader('Content-Disposition', 'attachment; filename="misunderstood.csv"');
    res.type('text/csv').send(await deps.queries.learningCsv(filterOf(req, deps.now())));
  });
  router.get('/api/admin/analytics/queue', admin, async (_req, res) => {
    const stats = await deps.queueStats();
    res.json({ available: stats !== undefined, queues: stats ?? [], store: { backend: deps.store.backend, ...deps.writer.stats() } });
  });
  router.get('/api/admin/users/:id/export', admin, async (req: Request<{ id: string }>, res: Response) => {
    await deps.writer.flush();
    res.setHeader('Content-Disposition', 'attachment; filename="user-export.json"');
    res.json(await deps.store.exportUser(deps.keys.user(req.params.id)));
  });
  return router;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function filterOf(req: Request, now: number): MetricsFilter {
  const query = req.query as Record<string, unknown>;
  const text = (name: string) => (typeof query[name] === 'string' && query[name] !== '' ? (query[name] as string) : undefined);
  const until = parseSince(text('until'), now) ?? now;
  const since = parseSince(text('since'), now) ?? until - 7 * DAY_MS;
  return { since, until, channel: text('channel'), locale: text('locale'), pack: text('pack') };
}
