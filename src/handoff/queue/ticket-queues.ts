import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import type { Logger } from '../../logger.js';
import type { RedisClient } from '../../state/create-redis.js';
import { FAILED_JOB_AGE_SECONDS } from '../../state/bullmq-retention.js';
import type { HandoffKeys } from '../../state/redis-keys.js';
import type { ClaimReply } from '../scripts/handoff-scripts.js';

/** Stale tickets one claim may clear before it leaves the rest to the next (the records stay the truth). */
const MAX_TICKETS_PER_CLAIM = 50;

/** A ticket: the BullMQ job that stands for one (re-)entry of a handoff into its queue. */
export interface TicketData {
  readonly id: string;
  readonly ticket: number;
}

export interface TicketQueuesOptions {
  readonly redis: RedisClient;
  /** Opens the connection workers use (`maxRetriesPerRequest: null`). */
  readonly createWorkerConnection: () => RedisClient;
  readonly keys: HandoffKeys;
  /** BullMQ's `prefix` (`RedisKeys.bull`), hash-tagged like every other key. */
  readonly bullPrefix: string;
  readonly logger: Logger;
}

/**
 * The BullMQ queue and worker of each skill and language, opened when first used. Workers only
 * fetch (`getNextJob`), never run a processor: claiming is the agent's call. Both maps are keyed
 * by configured skill × language, so they stay as small as the routing configuration.
 */
export class TicketQueues {
  private readonly queues = new Map<string, Queue<TicketData>>();
  private readonly workers = new Map<string, Worker<TicketData>>();
  private workerConnection: RedisClient | undefined;
  private closed = false;

  constructor(private readonly options: TicketQueuesOptions) {}

  async add(ticket: TicketData, skill: string, language: string, priority: number): Promise<void> {
    await this.queue(skill, language).add('handoff', ticket, {
      jobId: this.options.keys.ticketJob(ticket.id, ticket.ticket),
      priority,
      removeOnComplete: true,
      removeOnFail: { age: FAILED_JOB_AGE_SECONDS, count: 1000 },
    });
  }

  /**
   * Fetches the tickets of one skill and language in priority order and offers each to `claim`
   * until one is claimed: a ticket reserved for another agent waits (delayed) until the
   * reservation ends, a stale one is settled and dropped. Resolves with the claimed handoff's id.
   */
  async claimNext(skill: string, language: string, claim: (ticket: TicketData) => Promise<ClaimReply>): Promise<string | undefined> {
    const worker = this.worker(skill, language);
    for (let attempt = 0; attempt < MAX_TICKETS_PER_CLAIM; attempt++) {
      const token = randomUUID();
      const job = (await worker.getNextJob(token, { block: false })) as Job<TicketData> | undefined;
      if (!job) return undefined;
      const reply = await claim(job.data);
      if (reply.kind === 'reserved') {
        await job.moveToDelayed(reply.until, token);
        continue;
      }
      await job.moveToCompleted(reply.kind, token, false);
      if (reply.kind === 'claimed') return job.data.id;
    }
    return undefined;
  }

  /** Removes the jobs of tickets 1..`lastTicket` of a handoff; resolves with how many were there. */
  async removeAll(id: string, lastTicket: number, skill: string, language: string): Promise<number> {
    let removed = 0;
    for (let ticket = 1; ticket <= lastTicket; ticket++) {
      removed += (await this.queue(skill, language).remove(this.options.keys.ticketJob(id, ticket)).catch(() => 0)) ? 1 : 0;
    }
    return removed;
  }

  /** BullMQ's queue of a skill and language, opened once (bull-board lists them). */
  queue(skill: string, language: string): Queue<TicketData> {
    const name = this.options.keys.bullQueue(skill, language);
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<TicketData>(name, { connection: this.options.redis, prefix: this.options.bullPrefix });
      queue.on('error', (error) => this.options.logger.error({ err: error, queue: name }, 'handoff queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  private worker(skill: string, language: string): Worker<TicketData> {
    const name = this.options.keys.bullQueue(skill, language);
    let worker = this.workers.get(name);
    if (!worker) {
      if (this.closed) throw new Error('the handoff queue is closed');
      this.workerConnection ??= this.options.createWorkerConnection();
      worker = new Worker<TicketData>(name, null, { connection: this.workerConnection, prefix: this.options.bullPrefix, autorun: false, lockDuration: 30_000 });
      worker.on('error', (error) => this.options.logger.error({ err: error, queue: name }, 'handoff worker error'));
      // Tickets fetched by a process that died before settling them go back to the queue.
      void worker.startStalledCheckTimer().catch((error: unknown) => this.options.logger.error({ err: error }, 'stalled check failed'));
      this.workers.set(name, worker);
    }
    return worker;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.workers.values()].map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.workers.clear();
    this.queues.clear();
    const connection = this.workerConnection;
    if (connection) await connection.quit().catch(() => connection.disconnect());
  }
}
