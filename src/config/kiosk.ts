import { z } from 'zod';
import { defineConfigSection, optionalString, positiveInt } from './section.js';

/** Settings of the kiosk robot channel (Direct Line 3.0–compatible API and the kiosk page). */
export interface KioskSettings {
  /** YAML file listing the kiosk devices; without it the kiosk channel is off. */
  readonly devicesFile: string | undefined;
  /** HMAC key for Direct Line tokens; undefined = a random key per process (tokens die with it). */
  readonly tokenSecret: string | undefined;
  readonly tokenTtlSeconds: number;
  /** Requests a minute one device (and one IP address) may make to /v3/directline. */
  readonly rateLimitPerMinute: number;
  /** Web origins whose pages may call /v3/directline (CORS); empty = same-origin only. */
  readonly allowedOrigins: readonly string[];
  /** A conversation whose client has been gone this long (no stream, no request) ends its wait for a person. */
  readonly abandonAfterMs: number;
}

/** `https://host[:port]` exactly as browsers send it in `Origin` (no path, no trailing slash). */
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

const originList = optionalString.pipe(
  z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((origin) => origin.trim()).filter(Boolean))
    .refine((origins) => origins.every((origin) => ORIGIN.test(origin)), {
      message: 'expected comma-separated origins such as https://www.example.com,http://localhost:8080 (scheme, host and port only, no path)',
    }),
);

export const kioskConfigSection = defineConfigSection(
  {
    KIOSK_DEVICES_FILE: optionalString,
    KIOSK_TOKEN_SECRET: optionalString.pipe(z.string().min(32, 'expected at least 32 characters').optional()),
    KIOSK_TOKEN_TTL_SECONDS: positiveInt.default(1800),
    KIOSK_RATE_LIMIT_PER_MINUTE: positiveInt.default(120),
    DIRECTLINE_ALLOWED_ORIGINS: originList,
    DIRECTLINE_ABANDON_AFTER_MS: positiveInt.default(180_000),
  },
  (e): KioskSettings => ({
    devicesFile: e.KIOSK_DEVICES_FILE,
    tokenSecret: e.KIOSK_TOKEN_SECRET,
    tokenTtlSeconds: e.KIOSK_TOKEN_TTL_SECONDS,
    rateLimitPerMinute: e.KIOSK_RATE_LIMIT_PER_MINUTE,
    allowedOrigins: e.DIRECTLINE_ALLOWED_ORIGINS,
    abandonAfterMs: e.DIRECTLINE_ABANDON_AFTER_MS,
  }),
);
