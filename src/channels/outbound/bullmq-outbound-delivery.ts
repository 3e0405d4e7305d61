import { FAILED_JOB_AGE_SECONDS } from '../../state/bullmq-retention.js';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { RedisClient } from '../../state/create-redis.js';
import { processLogPseudonyms, type Logger, type LogPseudonym } from '../../logger.js';
import { isRetryableSend, type OutboundDelivery, type OutboundListener, type OutboundMessage, type OutboundOptions, type SendOutbound } from './outbound-delivery.js';
import { outboundQueueName, RedisKeys } from '../../state/redis-keys.js';

export interface BullmqOutboundOptions extends OutboundOptions {
  readonly redis: RedisClient;
  readonly createWorkerConnection: () => RedisClient;
  readonly keyPrefix: string;
  readonly logger: Logger;
  /** Channel ids this process owns: it consumes only their queues. */
  readonly channelIds: () => readonly string[];
  /** Parallel sends per channel in this process (1 keeps every message in order). */
  readonly concurrency?: number;
  /** The queue of a channel; default `outbound-<channel>`. */
  readonly queueName?: (channelId: string) => string;
  /** Logs name a failed job by pseudonym: a caller's message ids may name a person (the chat channels enqueue digests). */
  readonly logPseudonym?: LogPseudonym | undefined;
}

/** A message enqueued again (by another process) within this window is still delivered once. */
const DEDUPLICATION_MS = 60 * 60 * 1000;

/** Outbound queue per channel on BullMQ: retries with exponential backoff; final failures reported. */
export class BullmqOutboundDelivery implements OutboundDelivery {
  /** One queue per configured channel. */
  private readonly queues = new Map<string, Queue<OutboundMessage>>();
  private readonly workers: Worker<OutboundMessage>[] = [];
  private readonly listeners: OutboundListener[] = [];
  private workerConnection: RedisClient | undefined;
  private readonly prefix: string;

  constructor(
    private readonly send: SendOutbound,
    private readonly options: BullmqOutboundOptions,
  ) {
    this.prefix = new RedisKeys(options.keyPrefix).bull;
  }

  async enqueue(message: OutboundMessage): Promise<void> {
    const channelId = message.reference.channelId ?? 'unknown';
    await this.queue(channelId).add('send', message, {
      jobId: message.id,
      attempts: this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs },
      removeOnComplete: true,
      removeOnFail: { age: FAILED_JOB_AGE_SECONDS, count: 5000 },
      // The job is removed once delivered, so its id no longer dedupes: this key (with a TTL) does.
      deduplication: { id: message.id, ttl: DEDUPLICATION_MS },
    });
  }

  async eraseUser(userId: string): Promise<number> {
    const names = new Set([...this.queues.keys(), ...this.options.channelIds().map((id) => this.queueName(id))]);
    let erased = 0;
    for (const name of names) {
      const queue = this.queues.get(name) ?? new Queue<OutboundMessage>(name, { connection: this.options.redis, prefix: this.prefix });
      if (!this.queues.has(name)) this.queues.set(name, queue);
      // Active jobs are locked by their worker; they are removed once sent (removeOnComplete).
      for (const job of await queue.getJobs(['waiting', 'prioritized', 'delayed', 'failed'])) {
        if (job?.data?.reference?.user?.id !== userId) continue;
        await job.remove().then(() => (erased += 1), () => undefined);
      }
    }
    return erased;
  }

  listen(listener: OutboundListener): void {
    this.listeners.push(listener);
  }

  queue(channelId: string): Queue<OutboundMessage> {
    const name = this.queueName(channelId);
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<OutboundMessage>(name, { connection: this.options.redis, prefix: this.prefix });
      queue.on('error', (error) => this.options.logger.error({ err: error, queue: name }, 'outbound queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  async start(): Promise<void> {
    const channelIds = [...new Set(this.options.channelIds())];
    if (!channelIds.length) return;
    this.workerConnection = this.options.createWorkerConnection();
    for (const channelId of channelIds) {
      const name = this.queueName(channelId);
      this.queue(channelId);
      const worker = new Worker<OutboundMessage>(name, async (job) => this.sendOrGiveUp(job.data), {
        connection: this.workerConnection,
        prefix: this.prefix,
        concurrency: this.options.concurrency ?? 20,
      });
      worker.on('error', (error) => this.options.logger.error({ err: error, queue: name }, 'outbound worker error'));
      worker.on('completed', (job) => {
        for (const l of this.listeners) void Promise.resolve(l.delivered?.(job.data)).catch(() => undefined);
      });
      worker.on('failed', (job, error) => {
        // An UnrecoverableError (a message the platform refused for good) is final after any attempt.
        if (!job || (job.attemptsMade < (job.opts.attempts ?? 1) && error.name !== 'UnrecoverableError')) return;
        this.options.logger.error({ err: error, jobId: (this.options.logPseudonym ?? processLogPseudonyms())('job', job.id ?? ''), queue: name }, 'outbound message failed after every retry');
        for (const l of this.listeners) void Promise.resolve(l.failed?.(job.data, error.message)).catch(() => undefined);
      });
      this.workers.push(worker);
    }
  }

  /** A message the platform refused for good fails its job at once (UnrecoverableError), reported on that attempt. */
  private async sendOrGiveUp(message: OutboundMessage): Promise<void> {
    try {
      await this.send(message);
    } catch (error) {
      if (!isRetryableSend(error)) throw new UnrecoverableError((error as Error).message);
      throw error;
    }
  }

  private queueName(channelId: string): string {
    return (this.options.queueName ?? outboundQueueName)(channelId);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    if (this.workerConnection) await this.workerConnection.quit().catch(() => this.workerConnection?.disconnect());
  }
}
