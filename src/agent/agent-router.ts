import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type RequestHandler, type Response, Router } from 'express';
import { z } from 'zod';
import type { HandoffService } from '../handoff/handoff-service.js';
import { refuseLocked, type LoginGuard } from '../http/login-guard.js';
import type { Agent, AgentDirectory } from './agent-directory.js';
import { assistFor, type AgentAssist } from './agent-assist.js';
import type { AgentTokens } from './agent-tokens.js';

export interface AgentRouterDeps {
  readonly service: HandoffService;
  readonly agents: AgentDirectory;
  readonly tokens: AgentTokens;
  readonly loginGuard: LoginGuard;
  readonly assist?: AgentAssist | undefined;
  readonly bodyLimitBytes: number;
  /** Folder with openapi.json and console/ (src/agent in the repo; not compiled, so also right for dist). */
  readonly assetsDir: string;
}

const loginBody = z.object({ agentId: z.string().min(1, 'agentId is required'), password: z.string().min(1, 'password is required') });
const messageBody = z.object({ text: z.string().trim().min(1, 'text must not be empty').max(4000, 'text is longer than 4000 characters') });
const transferBody = z.object({ skill: z.string().min(1, 'skill is required') });
const resolveBody = z.object({ disposition: z.string().min(1, 'disposition is required').max(100), note: z.string().max(4000).optional() });

const ASSETS: Record<string, string> = { 'console.js': 'text/javascript; charset=utf-8', 'console.css': 'text/css; charset=utf-8' };

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function parse<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  const parsed = schema.safeParse(req.body ?? {});
  if (parsed.success) return parsed.data;
  fail(res, 400, 'REQUEST_INVALID', parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
  return undefined;
}

const REASONS: Record<string, [number, string]> = {
  'not-found': [404, 'No such handoff'],
  'not-yours': [403, 'This handoff is assigned to another agent'],
  'not-assigned': [409, 'This handoff is not assigned (waiting, resolved or cancelled)'],
  'unknown-skill': [400, 'No such skill'],
  taken: [409, 'Another agent has already claimed this callback'],
  'not-claimed': [409, 'This callback is not claimed (open or done)'],
};

function refuse(res: Response, reason: string): void {
  const [status, message] = REASONS[reason] ?? [409, reason];
  fail(res, status, status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : status === 400 ? 'REQUEST_INVALID' : 'HANDOFF_CONFLICT', message);
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

  const authenticate: RequestHandler = async (req, res, next) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const agentId = deps.tokens.verify(bearer);
    const agent = agentId ? deps.agents.get(agentId) : undefined;
    if (!agent) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="carebot agents"');
      return fail(res, 401, 'UNAUTHORIZED', 'Log in first: POST /api/agent/login');
    }
    res.locals.agent = agent;
    await service.heartbeat(agent.id);
    next();
  };
  const me = (res: Response) => res.locals.agent as Agent;

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

  router.post('/api/agent/handoffs/next', authenticate, async (_req, res) => {
    const record = await service.acceptNext(me(res));
    if (!record) return void res.status(204).end();
    const messages = await service.queue.messages(record.id);
    res.json({ handoff: record, messages, assist: await assistFor(record, messages, deps.assist) });
  });

  router.get('/api/agent/handoffs/:id', authenticate, async (req, res) => {
    const record = await service.queue.get(String(req.params.id));
    if (!record) return refuse(res, 'not-found');
    if (record.agentId !== me(res).id) return refuse(res, 'not-yours');
    const messages = await service.queue.messages(record.id);
    res.json({ handoff: record, messages, assist: await assistFor(record, messages, deps.assist) });
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
