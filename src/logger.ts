import { createHmac, randomBytes } from 'node:crypto';
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths whose values never reach a log line: message text and personal identifiers, at the top
 * level and up to two objects down (`{ turn: { activity: { text } } }` leaked before).
 */
export const REDACTED_PATHS = [
  'text',
  '*.text',
  '*.*.text',
  'activity.text',
  'activity.from.name',
  'req.headers.authorization',
  'req.headers.cookie',
  'phone',
  '*.phone',
  '*.*.phone',
  'password',
  '*.password',
  'token',
  '*.token',
];

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'carebot' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

/** Stands in for a personal identifier in log lines: `kind:` and 12 hex digits. */
export type LogPseudonym = (kind: string, id: string) => string;

/**
 * Pseudonyms for identifiers that name a person (a WhatsApp chat id is a phone number, a WeChat
 * openid or wxid one account): a keyed hash with the installation's secret, as analytics hashes
 * ids, so one customer's log lines still share one pseudonym across turns and restarts. An
 * unkeyed hash would hide nothing: every Hong Kong mobile number hashes in about a minute.
 */
export function logPseudonyms(secret: string | Buffer): LogPseudonym {
  return (kind, id) => `${kind}:${createHmac('sha256', secret).update(`log:${kind}/${id}`).digest('hex').slice(0, 12)}`;
}

/** For code built without the composition root (embedders, tests): stable for the process only. */
export function processLogPseudonyms(): LogPseudonym {
  processPseudonyms ??= logPseudonyms(randomBytes(32));
  return processPseudonyms;
}

let processPseudonyms: LogPseudonym | undefined;
