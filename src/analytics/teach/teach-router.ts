import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { localizedSchema } from '../../knowledge/schema.js';
import type { TimeRange } from '../types.js';
import type { TeachService } from './teach-service.js';

const INTENT_ID = /^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_-]*$/;
/** Stored message texts are already capped by the inbound limit; a lesson is held to the same order. */
const TEXT = z.string().trim().min(1).max(2000);
const intentId = z.string().regex(INTENT_ID, 'expected an intent id "pack.intent"');

const decisionsSchema = z.strictObject({
  decisions: z
    .array(
      z.discriminatedUnion('action', [
        z.strictObject({ action: z.literal('label'), text: TEXT, intent: intentId }),
        z.strictObject({ action: z.literal('dismiss'), text: TEXT }),
        z.strictObject({
          action: z.literal('create'),
          texts: z.array(TEXT).max(200),
          intent: z.strictObject({ id: intentId, title: localizedSchema, answer: localizedSchema, examples: z.array(TEXT).max(50).optional() }),
        }),
      ]),
    )
    .min(1)
    .max(200),
});

export interface TeachRouterDeps {
  readonly teach: TeachService;
  readonly admin: RequestHandler;
  readonly range: (query: Record<string, unknown>) => TimeRange;
}

/** The review screen's admin API (`/api/admin/teach/*`). */
export function createTeachRouter(deps: TeachRouterDeps): Router {
  const router = Router();
  const { admin, teach } = deps;

  router.get('/api/admin/teach/review', admin, async (req, res) => {
    const { version, groups } = await teach.review(deps.range(req.query as Record<string, unknown>));
    const intents = teach.content.current().knowledge.intents.map((intent) => ({ id: intent.id, pack: intent.pack, titles: intent.titles }));
    res.setHeader('Cache-Control', 'no-store');
    res.json({ version, groups, intents, packs: teach.content.current().knowledge.packs.map((pack) => ({ id: pack.id, titles: pack.titles })) });
  });

  router.get('/api/admin/teach/evaluation', admin, async (_req, res) => {
    const content = teach.content.current();
    const evaluation = await teach.evaluation(content);
    res.json({ version: content.version, ...evaluation });
  });

  router.post('/api/admin/teach/decisions', admin, express.json({ limit: '256kb' }), async (req, res) => {
    const parsed = decisionsSchema.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      res.status(400).json({ error: { code: 'REQUEST_INVALID', message: `${issue.path.join('.') || 'body'}: ${issue.message}` } });
      return;
    }
    const result = await teach.decide(parsed.data.decisions, `admin@${req.ip ?? 'unknown'}`);
    if (!result.ok) {
      res.status(result.status).json({ error: { code: result.code, message: result.message, problems: result.problems } });
      return;
    }
    res.json(result);
  });

  router.get('/api/admin/teach/log', admin, async (req, res) => {
    const limit = Math.min(500, Math.max(1, Number.parseInt(String(req.query.limit ?? '100'), 10) || 100));
    res.json({ entries: await teach.log(limit) });
  });

  return router;
}
