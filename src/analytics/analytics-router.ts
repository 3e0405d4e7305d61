import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { adminCookie, checkAdminToken, isAdminToken, presentedAdminToken, requireAdmin } from '../http/admin-auth.js';
import { refuseLocked, type LoginGuard } from '../http/login-guard.js';
import type { QueueStats } from '../handoff/types.js';
import { csvField, type AnalyticsQueries } from './analytics-queries.js';
import { agentReportCsv } from './agent-report.js';
import type { EventWriter } from './event-writer.js';
import type { AnalyticsKeys } from './keys.js';
import type { MetricsFilter } from './metrics.js';
import type { AnalyticsPrometheus } from './prometheus.js';
import type { AnalyticsStore } from './store/analytics-store.js';
import { parseSince } from './time-range.js';
import { createTeachRouter } from './teach/teach-router.js';
import type { TeachService } from './teach/teach-service.js';

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
  /** The review screen (teach the bot); undefined when no content teacher is wired. */
  readonly teach?: TeachService | undefined;
}

/** Pages behind the admin login; the login form returns to the one asked for. */
const ADMIN_PAGES: Record<string, string> = { '/dashboard': 'dashboard.html', '/dashboard/review': 'review.html' };

const DAY_MS = 86_400_000;

/** `/metrics`, `/dashboard` (admin login) and the admin analytics API. */
export function createAnalyticsRouter(deps: AnalyticsRouterDeps): Router {
  const router = Router();
  const admin = requireAdmin(deps.adminToken, deps.loginGuard);
  const require = createRequire(import.meta.url);
  const uplotDir = join(require.resolve('uplot/dist/uPlot.iife.min.js'), '..');
  const page = (name: string) => readFileSync(join(deps.publicDir, name), 'utf8');
  const loginPage = (error: string | undefined, next: string, i18nKey?: string) => {
    const html = page('login.html').replace('<!--next-->', `<input type="hidden" name="next" value="${escapeHtml(next)}">`);
    const translated = i18nKey ? ` data-i18n="${i18nKey}"` : '';
    return error ? html.replace('<!--error-->', `<p class="error" role="alert"${translated}>${escapeHtml(error)}</p>`) : html;
  };

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

  for (const [path, file] of Object.entries(ADMIN_PAGES)) {
    router.get(path, async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      if (!deps.adminToken) {
        res.status(503).type('text/plain').send('The dashboard is off: set ADMIN_TOKEN.');
        return;
      }
      const presented = presentedAdminToken(req.headers);
      // A stale or guessed cookie counts like a wrong token at the login form.
      const outcome = presented === undefined ? { ok: false as const } : await checkAdminToken(deps.loginGuard, deps.adminToken, presented, req);
      if (outcome.ok) return void res.type('html').send(page(file));
      if (outcome.locked) res.status(429).setHeader('Retry-After', String(outcome.locked.retryAfterSeconds));
      res.type('html').send(loginPage(outcome.locked?.reason, path));
    });
  }
  router.post('/dashboard/login', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const token = typeof req.body?.token === 'string' ? req.body.token : undefined;
    // Only a page of ours: never an open redirect.
    const next = typeof req.body?.next === 'string' && req.body.next in ADMIN_PAGES ? req.body.next : '/dashboard';
    const outcome = deps.adminToken && token ? await checkAdminToken(deps.loginGuard, deps.adminToken, token, req) : { ok: false as const };
    if (!outcome.ok) {
      if (outcome.locked) res.setHeader('Retry-After', String(outcome.locked.retryAfterSeconds));
      res.status(outcome.locked ? 429 : 401).type('html').send(outcome.locked ? loginPage(outcome.locked.reason, next) : loginPage('Wrong admin token.', next, 'dashboard.login.wrongToken'));
      return;
    }
    res.setHeader('Set-Cookie', adminCookie(token!, deps.secureCookies));
    res.redirect(303, next);
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
  router.get('/api/admin/analytics/agents', admin, async (req, res) => {
    res.json(await deps.queries.agentReport(filterOf(req, deps.now())));
  });
  router.get('/api/admin/analytics/agents.csv', admin, async (req, res) => {
    res.setHeader('Content-Disposition', 'attachment; filename="agents-and-skills.csv"');
    res.type('text/csv').send(agentReportCsv(await deps.queries.agentReport(filterOf(req, deps.now())), csvField));
  });
  router.get('/api/admin/analytics/queue', admin, async (_req, res) => {
    const stats = await deps.queueStats();
    res.json({ available: stats !== undefined, queues: stats ?? [], store: { backend: deps.store.backend, ...deps.writer.stats() } });
  });
  // Without a content teacher (an embedder's analytics alone) the review API does not exist: 404.
  if (deps.teach) router.use(createTeachRouter({ teach: deps.teach, admin, range: (query) => rangeOf(query, deps.now()) }));
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
  return rangeOf(req.query as Record<string, unknown>, now);
}

function rangeOf(query: Record<string, unknown>, now: number): MetricsFilter {
  const text = (name: string) => (typeof query[name] === 'string' && query[name] !== '' ? (query[name] as string) : undefined);
  const until = parseSince(text('until'), now) ?? now;
  const since = parseSince(text('since'), now) ?? until - 7 * DAY_MS;
  return { since, until, channel: text('channel'), locale: text('locale'), pack: text('pack') };
}
