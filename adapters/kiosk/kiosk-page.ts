import { join } from 'node:path';
import express, { type Router } from 'express';
import { setContentSecurityPolicy } from '../../src/http/security-headers.js';
import type { I18n } from '../../src/i18n/create-i18n.js';
import { isPageNetwork, type KioskDevice } from './devices.js';
import type { RequestLimiter } from './request-limiter.js';
import type { TokenIssuer } from './tokens.js';
import { randomUUID } from 'node:crypto';

const PAGE_LOCALES = ['en', 'zh-CN', 'zh-HK'] as const;

/**
 * The kiosk page (`/kiosk?device=…`) and its session endpoint. The page never sees a device
 * secret: `GET /kiosk/session` hands it a conversation token, and only to devices whose
 * `pageNetworks` include the requesting address (the kiosk's own trusted network).
 */
export function kioskPageRouter(deps: {
  devices: ReadonlyMap<string, KioskDevice>;
  tokens: TokenIssuer;
  limiter: RequestLimiter;
  i18n: I18n;
  publicDir: string;
}): Router {
  const router = express.Router();
  router.get('/kiosk', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    // The Direct Line stream may be served from PUBLIC_URL's host: any ws:/wss: origin.
    setContentSecurityPolicy(res, { 'connect-src': ["'self'", 'ws:', 'wss:'] });
    res.sendFile(join(deps.publicDir, 'index.html'));
  });
  router.use('/kiosk/assets', express.static(deps.publicDir, { index: false, maxAge: '1h' }));
  router.get('/kiosk/session', (req, res) => {
    if (deps.limiter.hit(`ip:${req.ip ?? ''}`) > 0) {
      res.setHeader('Retry-After', '60');
      res.status(429).json({ error: { code: 'RATE_LIMITED', message: 'Too many requests from this address' } });
      return;
    }
    const device = deps.devices.get(String(req.query.device ?? ''));
    if (!device) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Unknown kiosk device' } });
      return;
    }
    if (!isPageNetwork(device, req.ip)) {
      res.status(403).json({ error: { code: 'UNAUTHORIZED', message: `Device "${device.id}" does not serve the kiosk page to this network` } });
      return;
    }
    const conversationId = randomUUID().replace(/-/g, '');
    const userId = `dl_${randomUUID()}`;
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      conversationId,
      token: deps.tokens.issue({ dev: device.id, conv: conversationId, user: userId }),
      expires_in: deps.tokens.expiresIn,
      device: {
        id: device.id,
        site: device.site ?? null,
        city: device.city ?? null,
        language: device.language,
        idleTimeoutSeconds: device.idleTimeoutSeconds,
        waitingIdleTimeoutSeconds: device.waitingIdleTimeoutSeconds,
        voiceInput: device.voiceInput,
        asrUrl: device.asrUrl ?? null,
      },
      strings: Object.fromEntries(PAGE_LOCALES.map((locale) => [locale, deps.i18n.getResourceBundle(locale, 'kiosk') ?? {}])),
    });
  });
  return router;
}
