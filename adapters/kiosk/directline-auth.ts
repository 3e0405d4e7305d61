import { createHash, timingSafeEqual } from 'node:crypto';
import type { KioskDevice } from './devices.js';
import type { TokenClaims, TokenIssuer } from './tokens.js';

/** Who a Direct Line request is: a device holding its secret, or a client holding a conversation token. */
export type Caller =
  | { kind: 'secret'; device: KioskDevice }
  | { kind: 'token'; device: KioskDevice; claims: TokenClaims };

export type AuthResult = { ok: true; caller: Caller } | { ok: false; status: 401 | 403; code: 'UNAUTHORIZED' | 'TOKEN_EXPIRED'; message: string };

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function bearer(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
}

/** Checks a presented secret or token against the devices and the token key. */
export function authenticate(presented: string | undefined, devices: ReadonlyMap<string, KioskDevice>, tokens: TokenIssuer): AuthResult {
  if (!presented) return { ok: false, status: 401, code: 'UNAUTHORIZED', message: 'Missing "Authorization: Bearer <device secret or token>"' };
  if (presented.split('.').length === 3) {
    const verified = tokens.verify(presented);
    // 403, as Azure Direct Line answers a token it no longer honours: botframework-directlinejs then
    // reports ConnectionStatus.ExpiredToken (the app fetches a new token) instead of retrying a 401.
    // A signature this process cannot check is such a token: issued before a restart without
    // KIOSK_TOKEN_SECRET, or under a rotated secret.
    if (!verified.ok) {
      return verified.reason === 'expired'
        ? { ok: false, status: 403, code: 'TOKEN_EXPIRED', message: 'The token has expired; start a new conversation or refresh before expiry' }
        : { ok: false, status: 403, code: 'TOKEN_EXPIRED', message: 'The token is not valid here (issued before a restart or under another KIOSK_TOKEN_SECRET); get a new one' };
    }
    const device = devices.get(verified.claims.dev);
    if (!device) return { ok: false, status: 401, code: 'UNAUTHORIZED', message: 'The token belongs to a device that is no longer configured' };
    return { ok: true, caller: { kind: 'token', device, claims: verified.claims } };
  }
  const given = digest(presented);
  for (const device of devices.values()) {
    if (timingSafeEqual(digest(device.secret), given)) return { ok: true, caller: { kind: 'secret', device } };
  }
  return { ok: false, status: 401, code: 'UNAUTHORIZED', message: 'Unknown device secret' };
}
