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
