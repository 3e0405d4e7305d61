import type { RedisClient } from '../../state/create-redis.js';
import type { HandoffKeys } from '../../state/redis-keys.js';
import type { TicketQueues } from './ticket-queues.js';

/** An outbox entry, as handoff-requeue.lua writes it too: `<id>|<ticket>`. */
export function outboxEntry(id: string, ticket: number): string {
  return `${id}|${ticket}`;
}

/**
 * Tickets are written to an outbox list in the same atomic step as the record (enqueue's MULTI,
 * handoff-requeue.lua), then turned into BullMQ jobs here, so a crash between the two loses no
 * ticket: the next flush, in any process, writes it. A ticket whose record has moved on since
 * (claimed, cancelled, requeued again) is dropped instead.
 */
export class TicketOutbox {
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: HandoffKeys,
    private readonly tickets: TicketQueues,
  ) {}

  /** Writes the tickets the outbox holds as BullMQ jobs; safe to run in every process at once. */
  async flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** Waits for a flush under way (the queues close after it). */
  async settle(): Promise<void> {
    await this.flushing?.catch(() => undefined);
  }

  private async drain(): Promise<void> {
    for (;;) {
      const entry = await this.redis.lindex(this.keys.outbox, 0);
      if (!entry) return;
      const [id = '', ticket = ''] = entry.split('|');
      const [state, current, skill, language, priority] = await this.redis.hmget(this.keys.record(id), 'state', 'ticket', 'skill', 'language', 'priority');
      if (state === 'waiting' && current === ticket && skill && language) {
        await this.tickets.add({ id, ticket: Number(ticket) }, skill, language, Number(priority) || 5);
      }
      await this.redis.lrem(this.keys.outbox, 1, entry);
    }
  }
}
