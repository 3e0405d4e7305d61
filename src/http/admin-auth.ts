import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { refuseLocked, type LoginGuard, type LoginOutcome } from './login-guard.js';

const ADMIN_COOKIE = 'carebot_admin';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The token an admin request presents: `Authorization: Bearer …` or the admin cookie pages set. */
export function presentedAdminToken(headers: { authorization?: string | undefined; cookie?: string | undefined }): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer) return bearer.trim();
  for (const part of (headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === ADMIN_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

export function isAdminToken(expected: string, presented: string | undefined): boolean {
  return presented !== undefined && timingSafeEqual(digest(expected), digest(presented));
}

/** The `Set-Cookie` value an admin login page sends after checking the token. */
export function adminCookie(token: string, secure: boolean): string {
  return `${ADMIN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;
}

/** Checks a presented admin token through the login guard (counted per address, locked after too many misses). */
export function checkAdminToken(guard: LoginGuard, expected: string, presented: string | undefined, req: Request): Promise<LoginOutcome<true>> {
  return guard.attempt('admin', { address: req.ip ?? req.socket.remoteAddress ?? '' }, () => isAdminToken(expected, presented) || undefined);
}

/**
 * Guards /admin routes with ADMIN_TOKEN. Without a configured token they answer 503 rather
 * than running open. A wrong token counts toward the address's lockout (429 LOGIN_LOCKED).
 */
export function requireAdmin(adminToken: string | undefined, guard: LoginGuard): RequestHandler {
  return async (req, res, next) => {
    if (!adminToken) {
      res.status(503).json({ error: { code: 'ADMIN_DISABLED', message: 'Set ADMIN_TOKEN to use the admin routes' } });
      return;
    }
    const presented = presentedAdminToken(req.headers);
    const outcome = presented === undefined ? { ok: false as const } : await checkAdminToken(guard, adminToken, presented, req);
    if (!outcome.ok) {
      if (outcome.locked) return refuseLocked(res, outcome.locked);
      res.setHeader('WWW-Authenticate', 'Bearer realm="carebot admin"');
      res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'Missing or wrong admin token' } });
      return;
    }
    next();
  };
}
