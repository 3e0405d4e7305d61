import { systemClock, type Clock } from './clock.js';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** Wait before the second try; doubles each time (with up to 20 % jitter). */
  readonly baseDelayMs: number;
  /** False for an error no retry can fix (the platform refused the message for good); default: every error is retried. */
  readonly retryable?: ((error: unknown) => boolean) | undefined;
}

/** Runs `send` until it succeeds or `attempts` are used up; the last error is thrown with every attempt's cause. */
export async function withRetry<T>(
  send: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  options: { clock?: Clock; onRetry?: (error: unknown, attempt: number) => void } = {},
): Promise<T> {
  const clock = options.clock ?? systemClock;
  let lastError: unknown;
  for (let attempt = 1; attempt <= policy.attempts; attempt += 1) {
    try {
      return await send(attempt);
    } catch (error) {
      lastError = error;
      if (attempt === policy.attempts || policy.retryable?.(error) === false) break;
      options.onRetry?.(error, attempt);
      const delay = policy.baseDelayMs * 2 ** (attempt - 1);
      await clock.sleep(delay + Math.floor(Math.random() * delay * 0.2));
    }
  }
  throw lastError;
}
