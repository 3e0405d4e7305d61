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
}

export interface WriterStats {
  readonly buffered: number;
  readonly written: number;
  readonly dropped: number;
  readonly failedAttempts: number;
  readonly storeUp: boolean;
}

/**
 * Takes events off the turn's critical path: `record` only appends to a bounded buffer; a
 * timer writes batches. While the store is down the batch stays at the head of the buffer and
 * is retried with exponential backoff; what does not fit in the buffer is dropped and counted.
 */
export class EventWriter {
  private buffer: AnalyticsEvent[] = [];
  private written = 0;
  private dropped = 0;
  private failedAttempts = 0;
  private storeUp = true;
  private backoffMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: AnalyticsStore,
    private readonly options: EventWriterOptions,
  ) {}

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
    if (this.buffer.length >= this.options.batchSize && this.storeUp && !this.flushing) this.schedule(0);
    else if (!this.timer) this.schedule(this.options.flushMs);
  }

  stats(): WriterStats {
    return { buffered: this.buffer.length, written: this.written, dropped: this.dropped, failedAttempts: this.failedAttempts, storeUp: this.storeUp };
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
    this.timer = setTimeout(() => {
      this.timer = undefined;
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
    try {
      await this.store.write(batch);
    } catch (error) {
      this.failedAttempts += 1;
      this.backoffMs = Math.min(this.options.retryMaxMs, Math.max(this.options.flushMs, this.backoffMs * 2 || 250));
      if (this.storeUp) this.options.logger.error({ err: error, buffered: this.buffer.length }, 'analytics store is down; buffering events and retrying');
      this.storeUp = false;
      throw error;
    }
    // The batch is still the head of the buffer: record() only appends and trims the oldest.
    const stillHead = this.buffer[0] === batch[0];
    this.buffer.splice(0, stillHead ? batch.length : countLeading(this.buffer, batch));
    this.written += batch.length;
    this.backoffMs = 0;
    if (!this.storeUp) this.options.logger.info({ buffered: this.buffer.length, dropped: this.dropped }, 'analytics store is back; writing buffered events');
    this.storeUp = true;
    this.options.onWritten?.(batch.length);
  }

  private drop(count: number): void {
    this.dropped += count;
    this.options.onDropped?.(count);
  }
}

/** How many of `batch`'s events are still at the head of `buffer` (the oldest may have been trimmed meanwhile). */
function countLeading(buffer: readonly AnalyticsEvent[], batch: readonly AnalyticsEvent[]): number {
  const index = batch.indexOf(buffer[0]!);
  return index < 0 ? 0 : batch.length - index;
}
