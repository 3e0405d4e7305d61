import type { RequestHandler } from 'express';

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
// Web Chat's Direct Line client (rxjs ajax) also sends X-Requested-With and x-ms-bot-agent;
// without them in the list the browser refuses every request of an embedded Web Chat.
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Requested-With, x-ms-bot-agent';
/** What a cross-origin client may read besides the simple headers (429's wait, 401's challenge). */
const EXPOSED_HEADERS = 'Retry-After, WWW-Authenticate';

/**
 * CORS for the Direct Line API: pages on the listed origins (Web Chat embedded on a website) may
 * call it; any other origin gets no CORS headers, so its browser refuses the answer. Clients
 * authenticate with a Bearer token, never cookies, so credentials are not allowed.
 */
export function directLineCors(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    // The answer depends on the Origin: caches must not hand one origin's answer to another.
    res.vary('Origin');
    const ok = allowed.has(origin);
    if (ok) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      if (ok) {
        res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
        res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.status(204).end();
      return;
    }
    next();
  };
}
