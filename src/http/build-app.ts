import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Activity, ActivityHandler, InvokeResponse, TurnContext } from 'botbuilder';
import type { TrustProxy } from '../config/security.js';
import type { Logger } from '../logger.js';
import { requestLog } from './request-log.js';
import { runReadinessChecks, type ReadinessCheck } from './readiness.js';
import { securityHeaders } from './security-headers.js';

/** The Bot Framework channel's entry for one activity received over HTTP. */
export interface BotFrameworkEndpoint {
  processHttpActivity(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined>;
}

export interface AppDeps {
  logger: Logger;
  bodyLimitBytes: number;
  /** Which proxies' X-Forwarded-For to believe (TRUST_PROXY); default: loopback only. */
  trustProxy?: TrustProxy;
  /** Longest activity text /api/messages accepts at all (413 beyond; the bot core truncates at the much lower inbound cap). */
  maxTextChars: number;
  /** Absent when the Bot Framework channel is not configured: /api/messages answers 503. */
  botFrameworkAdapter: BotFrameworkEndpoint | undefined;
  bot: ActivityHandler;
  readinessChecks: readonly ReadinessCheck[];
  /** Extra routers (admin, agent API, channels) mounted after the core routes. */
  routers?: readonly RequestHandler[];
}

/** The HTTP face of carebot. Pure wiring: everything it serves comes in through `deps`. */
export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.set('trust proxy', typeof deps.trustProxy === 'object' ? [...deps.trustProxy] : (deps.trustProxy ?? 'loopback'));

  app.use(requestLog(deps.logger));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const report = await runReadinessChecks(deps.readinessChecks, 2000);
    res.status(report.ready ? 200 : 503).json(report);
  });

  const botFrameworkAdapter = deps.botFrameworkAdapter;
  if (botFrameworkAdapter) {
    app.post('/api/messages', express.json({ limit: deps.bodyLimitBytes, strict: true }), requireActivity(deps.maxTextChars), async (req, res, next) => {
      try {
        const authHeader = req.headers.authorization ?? '';
        const response = await botFrameworkAdapter.processHttpActivity(authHeader, req.body as Activity, (context) => deps.bot.run(context));
        res.status(response?.status ?? 200);
        if (response?.body === undefined) res.end();
        else res.json(response.body);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 401) {
          const message = error instanceof Error ? error.message : 'Unauthorized';
          req.log.warn({ reason: message }, 'Bot Framework request rejected');
          res.status(401).json({ error: { code: 'UNAUTHORIZED', message } });
          return;
        }
        next(error);
      }
    });
  } else {
    app.post('/api/messages', (_req, res) => {
      res.status(503).json({
        error: { code: 'CHANNEL_DISABLED', message: 'The Bot Framework endpoint needs MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD in production' },
      });
    });
  }

  for (const router of deps.routers ?? []) app.use(router);

  app.use((req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${req.path}` } });
  });
  app.use(handleErrors(deps.logger));
  return app;
}

/** The fields botbuilder reads from every incoming activity: without them a turn fails inside the bot. */
const REQUIRED_ACTIVITY_FIELDS: readonly (readonly [string, (body: Record<string, unknown>) => boolean])[] = [
  ['type', (b) => typeof b['type'] === 'string'],
  ['channelId', (b) => typeof b['channelId'] === 'string'],
  ['serviceUrl', (b) => typeof b['serviceUrl'] === 'string'],
  ['conversation.id', (b) => typeof (b['conversation'] as { id?: unknown } | undefined)?.id === 'string'],
  ['from', (b) => typeof b['from'] === 'object' && b['from'] !== null],
  ['recipient', (b) => typeof b['recipient'] === 'object' && b['recipient'] !== null],
];

function requireActivity(maxTextChars: number): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      res.status(400).json({ error: { code: 'REQUEST_INVALID', message: 'Expected a JSON Bot Framework Activity object' } });
      return;
    }
    const missing = REQUIRED_ACTIVITY_FIELDS.filter(([, present]) => !present(body as Record<string, unknown>)).map(([name]) => name);
    if (missing.length > 0) {
      res.status(400).json({ error: { code: 'REQUEST_INVALID', message: `Not a Bot Framework Activity: missing ${missing.join(', ')}` } });
      return;
    }
    const text = (body as { text?: unknown }).text;
    if (text !== undefined && text !== null && typeof text !== 'string') {
      res.status(400).json({ error: { code: 'REQUEST_INVALID', message: 'Activity "text" must be a string' } });
      return;
    }
    if (typeof text === 'string' && text.length > maxTextChars) {
      res.status(413).json({ error: { code: 'REQUEST_TOO_LARGE', message: `Activity text has ${text.length} characters; at most ${maxTextChars} are accepted` } });
      return;
    }
    next();
  };
}

function handleErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { type, status } = (error ?? {}) as { type?: string; status?: number };
    if (type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'REQUEST_TOO_LARGE', message: `Request body exceeds the limit of ${(error as { limit?: number }).limit} bytes` } });
      return;
    }
    if (type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'REQUEST_INVALID', message: `Malformed JSON: ${(error as Error).message}` } });
      return;
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: 'REQUEST_INVALID', message: (error as Error).message } });
      return;
    }
    (req.log ?? logger).error({ err: error }, 'request failed');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Internal error' } });
  };
}
