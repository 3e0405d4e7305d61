/**
 * Every error carebot raises on purpose carries a stable `code` from this registry.
 * Across process or Redis boundaries compare `code`, never `instanceof`.
 * The README's "Errors" table lists the same codes; test/errors.test.ts keeps the two in sync.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: 'An environment variable has a value carebot cannot use; startup stops.',
  CONTENT_INVALID: 'A content file is malformed; it is reported with file and line and the previous content keeps serving.',
  STORAGE_ETAG_CONFLICT: 'A state write was based on a stale read (another process wrote first); the turn is retried or fails, never silently lost.',
  STORAGE_UNAVAILABLE: 'The state store did not answer.',
  ANALYTICS_EVENT_REJECTED: 'The analytics store refused an event it can never store (not a connection failure); the event is set aside (logged, counted) and the others are written.',
  ADAPTER_SEND_FAILED: 'A channel could not deliver an outgoing message.',
  HANDOFF_FAILED: 'A conversation could not be handed to a human agent.',
  HANDOFF_CONFLICT: 'An agent acted on a handoff that is no longer assigned (waiting, resolved or cancelled).',
  FORBIDDEN: 'Logged in, but not allowed: e.g. an agent acting on a handoff assigned to another agent.',
  REQUEST_INVALID: 'An HTTP request was malformed (bad JSON, missing fields).',
  REQUEST_TOO_LARGE: 'An HTTP request body exceeded the configured limit, or a message text is far over the inbound text cap.',
  NOT_FOUND: 'No such route or resource.',
  UNAUTHORIZED: 'Missing or wrong credentials.',
  TOKEN_EXPIRED: 'A channel token (kiosk Direct Line) has expired or cannot be verified here; the client gets a new one or starts a new conversation.',
  RATE_LIMITED: 'Too many requests from one device or address on a public channel endpoint.',
  LOGIN_LOCKED: 'Too many failed logins for an account or from an address; the answer is 429 with Retry-After, and the lock lifts LOGIN_LOCKOUT_SECONDS after the last attempt.',
  METRICS_DISABLED: '/metrics is closed because NODE_ENV=production and METRICS_TOKEN is not set.',
  ADMIN_DISABLED: 'The admin routes are off because ADMIN_TOKEN is not set.',
  CHANNEL_DISABLED: 'The endpoint belongs to a channel that is not configured.',
  INTERNAL: 'An unexpected fault inside carebot; logged with the request id.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class CarebotError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export class ConfigError extends CarebotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, options);
  }
}

export class ContentError extends CarebotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONTENT_INVALID', message, options);
  }
}

export class StorageError extends CarebotError {}

export class AdapterError extends CarebotError {}

export class HandoffError extends CarebotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('HANDOFF_FAILED', message, options);
  }
}

export function hasErrorCode(error: unknown, code: ErrorCode): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
