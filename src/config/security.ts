import { isIP } from 'node:net';
import { z } from 'zod';
import { defineConfigSection, optionalString, positiveInt } from './section.js';

/** Express's `trust proxy`: a boolean, a hop count, or addresses / CIDRs / preset names. */
export type TrustProxy = boolean | number | readonly string[];

/** Settings that protect the HTTP face: proxies, logins, metrics, WebSockets. */
export interface SecuritySettings {
  /** Which hops of X-Forwarded-For carebot believes (req.ip, kiosk page networks, login limits). */
  readonly trustProxy: TrustProxy;
  readonly login: {
    /** Failed logins of one account (agent id) before it is locked. */
    readonly maxFailuresPerAccount: number;
    /** Failed logins (agents and admin token together) from one address before it is locked. */
    readonly maxFailuresPerAddress: number;
    /** A lock lasts this long after the last failure; failures older than that are forgotten. */
    readonly lockoutSeconds: number;
  };
  /** Bearer token for /metrics; undefined = public outside production, 503 in production. */
  readonly metricsToken: string | undefined;
  /** How often the kiosk stream pings its clients; a client that misses a pong is cut. */
  readonly wsPingIntervalSeconds: number;
}

const PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One entry of a TRUST_PROXY list: a preset name, an address, or address/prefix (or /netmask). */
function trustEntry(entry: string): boolean {
  if (PRESETS.has(entry)) return true;
  const [address = '', range, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(range) === 4;
}

const trustProxy = z
  .string()
  .optional()
  .transform((value, context): TrustProxy => {
    const text = (value ?? '').trim();
    if (text === '') return ['loopback'];
    if (text === 'true' || text === 'false') return text === 'true';
    if (/^\d+$/.test(text)) return Number(text);
    const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    const bad = entries.filter((entry) => !trustEntry(entry));
    if (bad.length > 0 || entries.length === 0) {
      context.addIssue({ code: 'custom', message: `expected a hop count, true/false, or comma-separated addresses, CIDRs, loopback, linklocal or uniquelocal (not ${bad.join(', ') || 'empty'})` });
      return z.NEVER;
    }
    return entries;
  });

export const securityConfigSection = defineConfigSection(
  {
    TRUST_PROXY: trustProxy,
    LOGIN_MAX_FAILURES: positiveInt.default(5),
    LOGIN_MAX_FAILURES_PER_ADDRESS: positiveInt.default(20),
    LOGIN_LOCKOUT_SECONDS: positiveInt.default(900),
    METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'expected at least 16 characters').optional()),
    WS_PING_INTERVAL_SECONDS: positiveInt.default(30),
  },
  (e): SecuritySettings => ({
    trustProxy: e.TRUST_PROXY,
    login: {
      maxFailuresPerAccount: e.LOGIN_MAX_FAILURES,
      maxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
      lockoutSeconds: e.LOGIN_LOCKOUT_SECONDS,
    },
    metricsToken: e.METRICS_TOKEN,
    wsPingIntervalSeconds: e.WS_PING_INTERVAL_SECONDS,
  }),
);
