import { hasErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AnalyticsStore } from './store/analytics-store.js';
import type { AnalyticsEvent } from './types.js';

export interface EventWriterOptions {
  readonly batchSize: number;
  readonly flushMs: number;
  /** Events held in memory at most; beyond it the oldest are dropped (and counted). */
  readonly bufferLimit: number;
  readonly retryMaxMs: number;
  readonly logger: Logger;
  /** Told after every write attempt (Prometheus counters). */
  readonly onWritten?: (count: number) => void;
  readonly onDropped?: (count: number) => void;
  /** Told for each event the store refused for good (ANALYTICS_EVENT_REJECTED) and that was set aside. */
  readonly onDeadLettered?: (count: number) => void;
  /** How long writes may fail in a row, with events waiting, before the writer counts as stuck; default max(60 s, 4 × retryMaxMs). */
  readonly stallMs?: number;
  readonly now?: () => number;
}

export interface WriterStats {
  readonly buffered: number;
  readonly written: number;
  readonly dropped: number;
  readonly failedAttempts: number;
  /** Events the store refused for good, set aside (logged and counted) so the rest could be written. */
  readonly deadLettered: number;
  readonly storeUp: boolean;
}

/**
 * Takes events off the turn's critical path: `record` only appends to a bounded buffer; a
 * timer writes batches. While the store is down the batch stays at the head of the buffer and
 * is retried with exponential backoff; what does not fit in the buffer is dropped and counted.
 * An event the store refuses for good (ANALYTICS_EVENT_REJECTED: data, not connection) cannot
 * hold up the rest: its batch is written again one event at a time and the refused ones are set
 * aside (dead-lettered: logged with id and kind, counted). `checkProgress` is a readiness check.
 */
export class EventWriter {
  private buffer: AnalyticsEvent[] = [];
  private written = 0;
  private dropped = 0;
  private failedAttempts = 0;
  private deadLettered = 0;
  private storeUp = true;
  /** When the current run of failed writes began; undefined while writes succeed. */
  private failingSince: number | undefined;
  private lastError: string | undefined;
  private backoffMs = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The pending timer writes at once (a full batch waits): further events need not set it again. */
  private timerImmediate = false;
  private flushing: Promise<void> | undefined;
  private closed = false;

  private readonly now: () => number;
  private readonly stallMs: number;

  constructor(
    private readonly store: AnalyticsStore,
    private readonly options: EventWriterOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.stallMs = options.stallMs ?? Math.max(60_000, 4 * options.retryMaxMs);
  }

  record(event: AnalyticsEvent): void {
    if (this.closed) {
      this.drop(1);
      return;
    }
    this.buffer.push(event);
    if (this.buffer.length > this.options.bufferLimit) {
      const excess = this.buffer.length - this.options.bufferLimit;
      this.buffer.splice(0, excess);
      this.drop(excess);
    }
    if (this.buffer.length >= this.options.batchSize && this.storeUp && !this.flushing) {
      if (!this.timerImmediate) this.schedule(0);
    } else if (!this.timer) this.schedule(this.options.flushMs);
  }

  stats(): WriterStats {
    return { buffered: this.buffer.length, written: this.written, dropped: this.dropped, failedAttempts: this.failedAttempts, deadLettered: this.deadLettered, storeUp: this.storeUp };
  }

  /** Rejects while events wait and every write has failed for longer than the stall limit (readiness). */
  async checkProgress(): Promise<void> {
    if (this.failingSince === undefined || this.buffer.length === 0) return;
    const stalledMs = this.now() - this.failingSince;
    if (stalledMs < this.stallMs) return;
    throw new Error(`analytics writer stuck for ${Math.round(stalledMs / 1000)} s with ${this.buffer.length} events waiting: ${this.lastError ?? 'unknown error'}`);
  }

  /** Writes everything buffered now; resolves when the buffer is empty or a write failed. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    while (this.buffer.length) {
      this.flushing = this.writeBatch();
      const ok = await this.flushing.then(() => true, () => false);
      this.flushing = undefined;
      if (!ok) return;
    }
  }

  /** Stops the timer and tries once more to write what is buffered; what cannot be written is counted as lost. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerImmediate = false;
    await this.flush();
    this.closed = true;
    if (this.buffer.length) {
      this.options.logger.error({ lost: this.buffer.length }, 'analytics events lost at shutdown: the store did not answer');
      this.drop(this.buffer.length);
      this.buffer = [];
    }
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerImmediate = ms === 0;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerImmediate = false;
      void this.tick();
    }, ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.flushing || this.closed) return;
    this.flushing = this.writeBatch();
    let ok = true;
    try {
      await this.flushing;
    } catch {
      ok = false;
    } finally {
      this.flushing = undefined;
    }
    if (this.closed) return;
    if (!ok) this.schedule(this.backoffMs);
    else if (this.buffer.length) this.schedule(this.buffer.length >= this.options.batchSize ? 0 : this.options.flushMs);
  }

  private async writeBatch(): Promise<void> {
    const batch = this.buffer.slice(0, this.options.batchSize);
    if (!batch.length) return;
    let written = batch.length;
    try {
      await this.store.write(batch);
    } catch (error) {
      if (!hasErrorCode(error, 'ANALYTICS_EVENT_REJECTED')) throw this.failed(error);
      written = await this.writeOneByOne(batch);
    }
    this.removeFromHead(batch, batch.length);
    this.written += written;
    this.backoffMs = 0;
    this.failingSince = undefined;
    if (!this.storeUp) this.options.logger.info({ buffered: this.buffer.length, dropped: this.dropped }, 'analytics store is back; writing buffered events');
    this.storeUp = true;
    if (written) this.options.onWritten?.(written);
  }

  /** Writes a batch the store refused one event at a time; sets aside the events it refuses. Returns how many were written. */
  private async writeOneByOne(batch: readonly AnalyticsEvent[]): Promise<number> {
    let written = 0;
    for (const [index, event] of batch.entries()) {
      try {
        await this.store.write([event]);
        written += 1;
      } catch (error) {
        if (!hasErrorCode(error, 'ANALYTICS_EVENT_REJECTED')) {
          // The store went away meanwhile: keep what is left (from this event on) for the retry.
          this.removeFromHead(batch, index);
          this.written += written;
          if (written) this.options.onWritten?.(written);
          throw this.failed(error);
        }
        this.deadLettered += 1;
        this.options.onDeadLettered?.(1);
        // The id finds the event in the turn's own logs; its text stays out of this log line.
        this.options.logger.error({ err: error, event: { id: event.id, kind: event.kind, at: event.at } }, 'analytics event refused by the store; set aside (dead-lettered)');
      }
    }
    return written;
  }

  /** Counts a failed write and starts the backoff; returns the error to throw. */
  private failed(error: unknown): unknown {
    this.failedAttempts += 1;
    this.failingSince ??= this.now();
    this.lastError = (error as Error)?.message ?? String(error);
    this.backoffMs = Math.min(this.options.retryMaxMs, Math.max(this.options.flushMs, this.backoffMs * 2 || 250));
    if (this.storeUp) this.options.logger.error({ err: error, buffered: this.buffer.length }, 'analytics store is down; buffering events and retrying');
    this.storeUp = false;
    return error;
  }

  /** Removes the first `count` events of `batch` from the buffer (record() only appends and trims the oldest meanwhile). */
  private removeFromHead(batch: readonly AnalyticsEvent[], count: number): void {
    if (count <= 0) return;
    const done = batch.slice(0, count);
    if (this.buffer[0] === batch[0]) {
      this.buffer.splice(0, count);
      return;
    }
    const index = done.indexOf(this.buffer[0]!);
    this.buffer.splice(0, index < 0 ? 0 : count - index);
  }

  private drop(count: number): void {
    this.dropped += count;
    this.options.onDropped?.(count);
  }
}
