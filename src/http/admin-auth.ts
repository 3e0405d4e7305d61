import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

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

/**
 * Guards /admin routes with ADMIN_TOKEN. Without a configured token they answer 503 rather
 * than running open.
 */
export function requireAdmin(adminToken: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!adminToken) {
      res.status(503).json({ error: { code: 'ADMIN_DISABLED', message: 'Set ADMIN_TOKEN to use the admin routes' } });
      return;
    }
    if (!isAdminToken(adminToken, presentedAdminToken(req.headers))) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="carebot admin"');
      res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'Missing or wrong admin token' } });
      return;
    }
    next();
  };
}
