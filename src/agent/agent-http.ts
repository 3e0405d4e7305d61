import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { HandoffService } from '../handoff/handoff-service.js';
import type { Agent, AgentDirectory } from './agent-directory.js';
import type { AgentTokens } from './agent-tokens.js';

/** Shared by the agent and supervisor routers: error bodies, body parsing and bearer authentication. */
export function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export function parseBody<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
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
  'unknown-agent': [400, 'No such agent'],
  'wrong-language': [409, 'That agent does not speak the customer\'s language'],
  taken: [409, 'Another agent has already claimed this callback'],
  'not-claimed': [409, 'This callback is not claimed (open or done)'],
  'at-capacity': [409, 'You already hold as many chats as your capacity allows'],
  'not-available': [409, 'You are set to away: set yourself available to take chats'],
  'not-waiting': [404, 'No such waiting handoff for you (taken by another agent, or not of your skills and languages)'],
};

export function refuse(res: Response, reason: string): void {
  const [status, message] = REASONS[reason] ?? [409, reason];
  fail(res, status, status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : status === 400 ? 'REQUEST_INVALID' : 'HANDOFF_CONFLICT', message);
}

/** Bearer-token authentication of agents; `role: 'supervisor'` also requires that role (403 otherwise). */
export function authenticateAgent(deps: { service: HandoffService; agents: AgentDirectory; tokens: AgentTokens }, role?: 'supervisor'): RequestHandler {
  return async (req, res, next) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const agentId = deps.tokens.verify(bearer);
    const agent = agentId ? deps.agents.get(agentId) : undefined;
    if (!agent) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="carebot agents"');
      return fail(res, 401, 'UNAUTHORIZED', 'Log in first: POST /api/agent/login');
    }
    if (role && agent.role !== role) return fail(res, 403, 'FORBIDDEN', 'Only supervisors may do this');
    res.locals.agent = agent;
    await deps.service.heartbeat(agent.id);
    next();
  };
}

export const currentAgent = (res: Response): Agent => res.locals.agent as Agent;
