import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';

declare module 'http' {
  interface IncomingMessage {
    /** This request's logger: the server's, with the request id bound. */
    log: Logger;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;
/** Probes every few seconds from the orchestrator: a line each would drown the log. */
const UNLOGGED_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/**
 * Gives each request an id (the caller's X-Request-Id when it is a plain token, else a new
 * one, echoed in the response), a `req.log` bound to it, and one log line when it ends: level
 * by status (5xx error, 4xx warn, else info), method, redacted URL, status and duration.
 *
 * pino-http did this, but before every request it built a child logger holding the serialized
 * request (every header, run through the logger's wildcard redaction paths) whether or not a
 * line would be written: 8% of a Direct Line request's CPU at LOG_LEVEL=silent. Here the child
 * logger is built when a handler first logs, and the line only when its level is enabled.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', id);
    let requestLogger: Logger | undefined;
    Object.defineProperty(req, 'log', { configurable: true, enumerable: false, get: () => (requestLogger ??= logger.child({ reqId: id })) });
    if (UNLOGGED_PATHS.has(req.path)) {
      next();
      return;
    }
    const started = performance.now();
    const ended = (): void => {
      res.off('finish', ended);
      res.off('close', ended);
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      req.log[level](
        {
          req: { method: req.method, url: redactUrl(req.originalUrl), remoteAddress: req.socket.remoteAddress },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
        },
        // A stream (Direct Line, the agent console) ends when its client goes away.
        res.writableFinished ? 'request completed' : 'request closed before its response ended',
      );
    };
    res.on('finish', ended);
    res.on('close', ended);
    next();
  };
}

/** Query parameters that carry secrets (webhook verify tokens, stream tokens, platform echoes). */
const SECRET_PARAMETERS = new Set(['hub.verify_token', 'hub.challenge', 't', 'token', 'access_token', 'echostr', 'signature', 'msg_signature', 'secret']);
/** Path segments that are a user's id (a WhatsApp id is a phone number). */
const USER_PATH = /^(\/api\/admin\/users\/)[^/?]+/;

/** A request URL as it may be logged: no secrets in the query, no user id in admin paths. */
export function redactUrl(url: string): string {
  const [path = '', query] = url.split('?', 2);
  const shownPath = path.replace(USER_PATH, '$1[redacted]');
  if (query === undefined) return shownPath;
  const parameters = new URLSearchParams(query);
  for (const key of [...parameters.keys()]) if (SECRET_PARAMETERS.has(key.toLowerCase())) parameters.set(key, '[redacted]');
  return `${shownPath}?${parameters.toString()}`;
}
