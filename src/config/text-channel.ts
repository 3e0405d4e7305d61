import type { z } from 'zod';
import { booleanFlag, positiveInt, positiveNumber } from './section.js';

/** Delivery settings WeChat and WhatsApp share (rate limits, retries, dedupe, readiness). */
export interface TextChannelDelivery {
  readonly maxTextLength: number;
  readonly perChatPerSecond: number;
  readonly overallPerSecond: number;
  readonly sendAttempts: number;
  readonly retryBaseMs: number;
  readonly dedupeTtlSeconds: number;
  /** When true, /readyz fails while the channel is not connected. */
  readonly required: boolean;
}

export function deliveryShape<P extends string>(prefix: P, defaults: { maxTextLength: number; perChat: number; overall: number }) {
  return {
    [`${prefix}_ENABLED`]: booleanFlag.default(false),
    [`${prefix}_MAX_TEXT_LENGTH`]: positiveInt.max(65536).default(defaults.maxTextLength),
    [`${prefix}_RATE_PER_CHAT`]: positiveNumber.default(defaults.perChat),
    [`${prefix}_RATE_OVERALL`]: positiveNumber.default(defaults.overall),
    [`${prefix}_SEND_ATTEMPTS`]: positiveInt.max(20).default(4),
    [`${prefix}_RETRY_BASE_MS`]: positiveInt.default(500),
    [`${prefix}_DEDUPE_TTL_SECONDS`]: positiveInt.default(24 * 60 * 60),
    [`${prefix}_REQUIRED`]: booleanFlag.default(false),
  } as {
    [K in `${P}_ENABLED` | `${P}_REQUIRED`]: z.ZodDefault<typeof booleanFlag>;
  } & {
    [K in `${P}_MAX_TEXT_LENGTH` | `${P}_SEND_ATTEMPTS` | `${P}_RETRY_BASE_MS` | `${P}_DEDUPE_TTL_SECONDS`]: z.ZodDefault<z.ZodNumber>;
  } & {
    [K in `${P}_RATE_PER_CHAT` | `${P}_RATE_OVERALL`]: z.ZodDefault<typeof positiveNumber>;
  };
}

export function buildDelivery(values: Record<string, unknown>, prefix: string): TextChannelDelivery {
  const get = <T>(name: string) => values[`${prefix}_${name}`] as T;
  return {
    maxTextLength: get<number>('MAX_TEXT_LENGTH'),
    perChatPerSecond: get<number>('RATE_PER_CHAT'),
    overallPerSecond: get<number>('RATE_OVERALL'),
    sendAttempts: get<number>('SEND_ATTEMPTS'),
    retryBaseMs: get<number>('RETRY_BASE_MS'),
    dedupeTtlSeconds: get<number>('DEDUPE_TTL_SECONDS'),
    required: get<boolean>('REQUIRED'),
  };
}
