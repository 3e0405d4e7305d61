import { LRUCache } from 'lru-cache';
import { FAILED_JOB_AGE_SECONDS } from '../../state/bullmq-retention.js';
import { isRetryableSend, type OutboundDelivery, type OutboundListener, type OutboundMessage, type OutboundOptions, type SendOutbound } from './outbound-delivery.js';

/** Message ids remembered to drop a second enqueue of one message (BullMQ's job id does it on Redis). */
const MAX_REMEMBERED_IDS = 10_000;

/** The embedded outbound queue: in-process retries with backoff; not durable. */
export class MemoryOutboundDelivery implements OutboundDelivery {
  private readonly listeners: OutboundListener[] = [];
  /** For as long as BullMQ keeps a failed job, and the most recent ids only. */
  private readonly seen: LRUCache<string, true>;
  /** Pending retries and sends: bounded by the messages under way. */
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly send: SendOutbound,
    private readonly options: OutboundOptions,
    maxRememberedIds = MAX_REMEMBERED_IDS,
  ) {
    this.seen = new LRUCache({ max: maxRememberedIds, ttl: FAILED_JOB_AGE_SECONDS * 1000 });
  }

  async enqueue(message: OutboundMessage): Promise<void> {
    if (this.seen.has(message.id)) return;
    this.seen.set(message.id, true);
    this.attempt(message, 1);
  }

  listen(listener: OutboundListener): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {}

  /** Nothing is stored: a message lives only in its pending send or retry timer, gone after the last attempt. */
  async eraseUser(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves once nothing is being sent or waiting for a retry (tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size || this.timers.size) await Promise.allSettled([...this.inFlight, new Promise((r) => setTimeout(r, 5))]);
  }

  private attempt(message: OutboundMessage, attempt: number): void {
    const run = this.send(message).then(
      async () => {
        for (const l of this.listeners) await l.delivered?.(message);
      },
      async (error: unknown) => {
        if (attempt >= this.options.attempts || this.closed || !isRetryableSend(error)) {
          for (const l of this.listeners) await l.failed?.(message, (error as Error)?.message ?? String(error));
          return;
        }
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.attempt(message, attempt + 1);
        }, this.options.backoffMs * 2 ** (attempt - 1));
        this.timers.add(timer);
      },
    );
    const tracked = run.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
