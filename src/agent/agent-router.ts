import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import express, { type Request, Router } from 'express';
import { z } from 'zod';
import { redact } from '../analytics/redact.js';
import type { Locale } from '../config.js';
import type { HandoffService } from '../handoff/handoff-service.js';
import { refuseLocked, type LoginGuard } from '../http/login-guard.js';
import { PAGE_LANGUAGES } from '../http/page-i18n.js';
import type { AgentDirectory } from './agent-directory.js';
import type { AgentInbox } from './agent-inbox.js';
import { PENDING_COOKIE, PENDING_TTL_SECONDS, type AgentOidc } from './agent-oidc.js';
import { authenticateAgent, currentAgent as me, fail, parseBody as parse, refuse } from './agent-http.js';
import type { AgentTokens } from './agent-tokens.js';
import { handoffView, type HandoffViewDeps } from './handoff-view.js';

export interface AgentRouterDeps {
  readonly service: HandoffService;
  readonly agents: AgentDirectory;
  readonly tokens: AgentTokens;
  readonly loginGuard: LoginGuard;
  readonly inbox: AgentInbox;
  /** Single sign-on, when HANDOFF_OIDC_* is configured. */
  readonly oidc?: AgentOidc | undefined;
  /** Builds the handoff views (assist, titles, canned responses, history). */
  readonly views: HandoffViewDeps;
  readonly bodyLimitBytes: number;
  /** Folder with openapi.json and console/ (src/agent in the repo; not compiled, so also right for dist). */
  readonly assetsDir: string;
}

const loginBody = z.object({ agentId: z.string().min(1, 'agentId is required'), password: z.string().min(1, 'password is required') });
const messageBody = z.object({ text: z.string().trim().min(1, 'text must not be empty').max(4000, 'text is longer than 4000 characters') });
const transferBody = z.object({ skill: z.string().min(1, 'skill is required') });
const resolveBody = z.object({ disposition: z.string().min(1, 'disposition is required').max(100), note: z.string().max(4000).optional() });
const noteBody = z.object({ text: z.string().trim().min(1, 'text must not be empty').max(4000, 'text is longer than 4000 characters') });
const statusBody = z.object({ state: z.enum(['available', 'away']) });

const ASSETS: Record<string, string> = { 'console.js': 'text/javascript; charset=utf-8', 'staff.js': 'text/javascript; charset=utf-8', 'console.css': 'text/css; charset=utf-8' };

/** The language the agent reads the console in (`?lang=`), else their first language. */
export function viewerLanguage(req: Request, fallback: Locale): Locale {
  const wanted = String(req.query.lang ?? '');
  return (PAGE_LANGUAGES as readonly string[]).includes(wanted) ? (wanted as Locale) : fallback;
}

/** The agent REST API, its OpenAPI document and the agent console page. */
export function createAgentRouter(deps: AgentRouterDeps): Router {
  const router = Router();
  const json = express.json({ limit: deps.bodyLimitBytes });
  const { service } = deps;
  const STATIC_DIR = join(deps.assetsDir, 'console');

  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(readFileSync(join(deps.assetsDir, 'openapi.json'), 'utf8'));
  });
  router.get('/agent', (_req, res) => {
    res.type('text/html; charset=utf-8').send(readFileSync(join(STATIC_DIR, 'index.html'), 'utf8'));
  });
  router.get('/agent/:asset', (req, res, next) => {
    const type = ASSETS[req.params.asset];
    if (!type) return next();
    res.type(type).send(readFileSync(join(STATIC_DIR, req.params.asset), 'utf8'));
  });

  router.post('/api/agent/login', json, async (req, res) => {
    const body = parse(loginBody, req, res);
    if (!body) return;
    const outcome = await deps.loginGuard.attempt('agent', { account: body.agentId, address: req.ip ?? '' }, () => deps.agents.authenticate(body.agentId, body.password));
    if (!outcome.ok && outcome.locked) return refuseLocked(res, outcome.locked);
    if (!outcome.ok) return fail(res, 401, 'UNAUTHORIZED', 'Unknown agent or wrong password');
    const agent = outcome.value;
    await service.heartbeat(agent.id);
    res.json({ ...deps.tokens.issue(agent.id), agent });
  });

  const authenticate = authenticateAgent(deps);

  router.get('/api/agent/oidc', (_req, res) => {
    res.json({ enabled: deps.oidc !== undefined });
  });

  router.get('/api/agent/oidc/login', async (req, res) => {
    if (!deps.oidc) return fail(res, 404, 'NOT_FOUND', 'Single sign-on is not configured (HANDOFF_OIDC_*)');
    let started: Awaited<ReturnType<AgentOidc['start']>>;
    try {
      started = await deps.oidc.start();
    } catch {
      return res.redirect(302, '/agent#sso-error=provider-unreachable');
    }
    const secure = req.secure || started.url.protocol === 'https:' ? '; Secure' : '';
    res.setHeader('Set-Cookie', `${PENDING_COOKIE}=${started.pending}; Max-Age=${PENDING_TTL_SECONDS}; Path=/api/agent/oidc; HttpOnly; SameSite=Lax${secure}`);
    res.redirect(302, started.url.href);
  });

  router.get('/api/agent/oidc/callback', async (req, res) => {
    if (!deps.oidc) return fail(res, 404, 'NOT_FOUND', 'Single sign-on is not configured (HANDOFF_OIDC_*)');
    const cookie = (req.headers.cookie ?? '').split(';').map((part) => part.trim()).find((part) => part.startsWith(`${PENDING_COOKIE}=`))?.slice(PENDING_COOKIE.length + 1);
    const outcome = await deps.oidc.finish(new URL(req.originalUrl, 'http://callback.invalid'), cookie);
    res.setHeader('Set-Cookie', `${PENDING_COOKIE}=; Max-Age=0; Path=/api/agent/oidc; HttpOnly; SameSite=Lax`);
    // The token travels in the fragment: it never reaches a server log or a Referer header.
    if (!outcome.ok) return res.redirect(302, `/agent#sso-error=${outcome.reason}`);
    await service.heartbeat(outcome.agent.id);
    const { token, expiresAt } = deps.tokens.issue(outcome.agent.id);
    res.redirect(302, `/agent#token=${encodeURIComponent(token)}&expiresAt=${encodeURIComponent(expiresAt)}`);
  });

  router.get('/api/agent/queues', authenticate, async (_req, res) => {
    const agent = me(res);
    const stats = await service.queue.stats();
    const held = await service.queue.heldBy(agent.id);
    res.json({
      agent,
      queues: stats.map((s) => ({ ...s, eligible: agent.skills.includes(s.skill) && agent.languages.includes(s.language) })),
      skills: [...service.skills.skills.keys()],
      held,
    });
  });

  router.post('/api/agent/heartbeat', authenticate, (_req, res) => {
    res.status(204).end();
  });

  router.post('/api/agent/handoffs/next', authenticate, async (req, res) => {
    const result = await deps.inbox.acceptNext(me(res));
    if (!result.ok && result.reason === 'nobody-waiting') return void res.status(204).end();
    if (!result.ok) return refuse(res, result.reason);
    res.json(await handoffView(deps.views, result.record, me(res), viewerLanguage(req, me(res).languages[0]!)));
  });

  router.get('/api/agent/inbox', authenticate, async (_req, res) => {
    const agent = me(res);
    const chats = await deps.inbox.chats(agent.id);
    res.json({
      agent,
      state: await deps.inbox.state(agent, chats.length),
      capacity: agent.capacity,
      chats,
      waiting: await deps.inbox.waiting(agent),
    });
  });

  router.post('/api/agent/status', authenticate, json, async (req, res) => {
    const body = parse(statusBody, req, res);
    if (!body) return;
    await deps.inbox.setAvailability(me(res).id, body.state);
    res.json({ state: await deps.inbox.state(me(res)) });
  });

  router.get('/api/agent/waiting/:id', authenticate, async (req, res) => {
    const record = await deps.inbox.preview(me(res), String(req.params.id));
    if (!record) return refuse(res, 'not-waiting');
    const language = viewerLanguage(req, me(res).languages[0]!);
    const view = await handoffView(deps.views, record, me(res), language);
    // A preview is for deciding: no canned replies or assist until the chat is yours.
    res.json({ handoff: view.handoff, labels: view.labels, history: view.history });
  });

  router.post('/api/agent/handoffs/:id/accept', authenticate, async (req, res) => {
    const result = await deps.inbox.accept(me(res), String(req.params.id));
    if (!result.ok) return refuse(res, result.reason === 'not-found' ? 'not-waiting' : result.reason);
    res.json(await handoffView(deps.views, result.record, me(res), viewerLanguage(req, me(res).languages[0]!)));
  });

  router.get('/api/agent/handoffs/:id', authenticate, async (req, res) => {
    const record = await service.queue.get(String(req.params.id));
    if (!record) return refuse(res, 'not-found');
    if (record.agentId !== me(res).id) return refuse(res, 'not-yours');
    res.json(await handoffView(deps.views, record, me(res), viewerLanguage(req, me(res).languages[0]!)));
  });

  router.post('/api/agent/handoffs/:id/notes', authenticate, json, async (req, res) => {
    const body = parse(noteBody, req, res);
    if (!body) return;
    const record = await service.queue.get(String(req.params.id));
    if (!record) return refuse(res, 'not-found');
    if (record.state !== 'assigned') return refuse(res, 'not-assigned');
    if (record.agentId !== me(res).id) return refuse(res, 'not-yours');
    // Stored with the handoff like its messages (redacted, erased with it) and never sent: only agents read notes.
    const note = { id: randomUUID(), from: 'note' as const, by: me(res).id, text: redact(body.text), at: new Date().toISOString() };
    await service.queue.appendMessage(record.id, note);
    res.status(201).json({ note });
  });

  router.post('/api/agent/handoffs/:id/messages', authenticate, json, async (req, res) => {
    const body = parse(messageBody, req, res);
    if (!body) return;
    const result = await service.sendAgentMessage(me(res), String(req.params.id), body.text);
    if (!result.ok) return refuse(res, result.reason);
    res.status(202).json({ messageId: result.messageId, delivery: 'pending' });
  });

  router.post('/api/agent/handoffs/:id/transfer', authenticate, json, async (req, res) => {
    const body = parse(transferBody, req, res);
    if (!body) return;
    const result = await service.transfer(me(res), String(req.params.id), body.skill);
    if (!result.ok) return refuse(res, result.reason);
    res.json({ handoff: result.record });
  });

  router.post('/api/agent/handoffs/:id/resolve', authenticate, json, async (req, res) => {
    const body = parse(resolveBody, req, res);
    if (!body) return;
    const result = await service.resolve(me(res), String(req.params.id), body);
    if (!result.ok) return refuse(res, result.reason);
    res.json({ handoff: result.record });
  });

  router.get('/api/agent/callbacks', authenticate, async (_req, res) => {
    res.json({ callbacks: await service.callbacksFor(me(res)) });
  });

  router.post('/api/agent/callbacks/:id/claim', authenticate, async (req, res) => {
    const result = await service.claimCallback(me(res), String(req.params.id));
    if (!result.ok) return refuse(res, result.reason);
    res.json({ callback: result.record });
  });

  router.post('/api/agent/callbacks/:id/messages', authenticate, json, async (req, res) => {
    const body = parse(messageBody, req, res);
    if (!body) return;
    const result = await service.sendCallbackMessage(me(res), String(req.params.id), body.text);
    if (!result.ok) return refuse(res, result.reason);
    res.status(202).json({ messageId: result.messageId, delivery: 'pending' });
  });

  router.post('/api/agent/callbacks/:id/complete', authenticate, json, async (req, res) => {
    const body = parse(resolveBody, req, res);
    if (!body) return;
    const result = await service.completeCallback(me(res), String(req.params.id), body);
    if (!result.ok) return refuse(res, result.reason);
    res.json({ callback: result.record });
  });

  return router;
}
