import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { z } from 'zod';
import type { HandoffService } from '../handoff/handoff-service.js';
import type { AgentDirectory } from './agent-directory.js';
import type { AgentInbox } from './agent-inbox.js';
import { authenticateAgent, currentAgent as me, parseBody, refuse } from './agent-http.js';
import { viewerLanguage } from './agent-router.js';
import type { AgentTokens } from './agent-tokens.js';
import { handoffView, type HandoffViewDeps } from './handoff-view.js';

export interface SupervisorRouterDeps {
  readonly service: HandoffService;
  readonly agents: AgentDirectory;
  readonly tokens: AgentTokens;
  readonly inbox: AgentInbox;
  readonly views: HandoffViewDeps;
  readonly bodyLimitBytes: number;
  /** Folder with console/ (the supervisor page shares the console's login, styles and translations). */
  readonly assetsDir: string;
}

const reassignBody = z.object({ agentId: z.string().min(1, 'agentId is required') });

/** The supervisor view (/supervisor) and its API: the floor, read-along and reassigning live chats. */
export function createSupervisorRouter(deps: SupervisorRouterDeps): Router {
  const router = Router();
  const json = express.json({ limit: deps.bodyLimitBytes });
  const supervisor = authenticateAgent(deps, 'supervisor');
  const STATIC_DIR = join(deps.assetsDir, 'console');

  router.get('/supervisor', (_req, res) => {
    res.type('text/html; charset=utf-8').send(readFileSync(join(STATIC_DIR, 'supervisor.html'), 'utf8'));
  });
  router.get('/supervisor/supervisor.js', (_req, res) => {
    res.type('text/javascript; charset=utf-8').send(readFileSync(join(STATIC_DIR, 'supervisor.js'), 'utf8'));
  });

  router.get('/api/supervisor/floor', supervisor, async (_req, res) => {
    res.json(await deps.inbox.floor());
  });

  // Read-along: the whole chat as its agent sees it (the supervisor's own stream carries it live).
  router.get('/api/supervisor/handoffs/:id', supervisor, async (req, res) => {
    const record = await deps.service.queue.get(String(req.params.id));
    if (!record) return refuse(res, 'not-found');
    const view = await handoffView(deps.views, record, me(res), viewerLanguage(req, me(res).languages[0]!));
    res.json({ handoff: view.handoff, messages: view.messages, labels: view.labels, history: view.history });
  });

  router.post('/api/supervisor/handoffs/:id/reassign', supervisor, json, async (req, res) => {
    const body = parseBody(reassignBody, req, res);
    if (!body) return;
    const to = deps.agents.get(body.agentId);
    if (!to) return refuse(res, 'unknown-agent');
    const record = await deps.service.queue.get(String(req.params.id));
    if (record && !to.languages.includes(record.language)) return refuse(res, 'wrong-language');
    const result = await deps.service.reassign(String(req.params.id), to);
    if (!result.ok) return refuse(res, result.reason);
    res.json({ handoff: result.record });
  });

  return router;
}
