import type { RequestHandler, Response } from 'express';

export type CspDirectives = Readonly<Record<string, readonly string[]>>;

/**
 * What every page may load: its own scripts, styles and images (and data: images such as QR
 * codes), nothing inline, no plugins, no <base> tricks, forms posting only here, and no
 * framing by another site (clickjacking).
 */
const DEFAULT_DIRECTIVES: CspDirectives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** The default policy with some directives replaced (a page that streams over ws:, a page with a hashed style). */
export function contentSecurityPolicy(overrides: CspDirectives = {}): string {
  return Object.entries({ ...DEFAULT_DIRECTIVES, ...overrides })
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** Replaces the policy of one response (set after the app-wide default). */
export function setContentSecurityPolicy(res: Response, overrides: CspDirectives): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(overrides));
}

/**
 * Headers for every response (HTML pages and the APIs alike, so a page added later is covered
 * without remembering to): the default CSP, no MIME sniffing, no framing (X-Frame-Options for
 * browsers without frame-ancestors), and no Referer leaving the site (agent and admin URLs
 * carry ids). A route replaces the CSP when its page needs more.
 */
export function securityHeaders(): RequestHandler {
  const policy = contentSecurityPolicy();
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', policy);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  };
}
