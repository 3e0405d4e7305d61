import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import type { Locale } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { AgentRouting, HandoffMessage, HandoffRecord, MessageDelivery, NewHandoff, QueueStats } from '../types.js';
import { HANDLE_TIMES_KEPT, queueScore, type HandoffActionResult, type HandoffQueue, type HandoffQueueOptions, type ResolveOutcome } from './handoff-queue.js';
import type { RedisClient } from '../../state/create-redis.js';
import { FAILED_JOB_AGE_SECONDS } from '../../state/bullmq-retention.js';
import { defineScript, type RedisScript } from '../../state/lua-script.js';
import { HandoffKeys, RedisKeys } from '../../state/redis-keys.js';

export interface BullmqHandoffQueueOptions extends HandoffQueueOptions {
  /** The shared producer connection. */
  readonly redis: RedisClient;
  /** Opens the connection workers use (`maxRetriesPerRequest: null`). */
  readonly createWorkerConnection: () => RedisClient;
  /** Hash-tagged (`{carebot}`), so every key and BullMQ queue shares one Redis Cluster slot. */
  readonly keyPrefix: string;
  readonly logger: Logger;
}

interface TicketData {
  readonly id: string;
  readonly ticket: number;
}

/** BullMQ queue of one skill, partitioned by language so an agent only fetches work they can take. */
export function handoffQueueName(skill: string, language: string): string {
  return `handoff-${skill}-${language}`;
}

const LAST_AGENT_TTL_SECONDS = 90 * 24 * 60 * 60;
const HANDLE_TIMES_TTL_SECONDS = 30 * 24 * 60 * 60;
const DEFAULT_RECORD_TTL_SECONDS = 24 * 60 * 60;

/** Replies of the handoff scripts (their .lua headers document them). */
const CLAIMED = 0;
const CLAIM_STALE = 1;
const CLAIM_RESERVED = 2;
const KEYS_OUTDATED = { claim: 3, requeue: 5, cancel: 3, reassign: 4 } as const;
const ACTION_REASONS: Record<number, 'not-found' | 'not-assigned' | 'not-yours' | 'alive'> = { 1: 'not-found', 2: 'not-assigned', 3: 'not-yours', 4: 'alive' };
/** A record changes queue or holder a few times in its life; this many re-reads in a row mean a bug. */
const MAX_KEY_READS = 20;

type ClaimResult = { readonly kind: 'claimed' } | { readonly kind: 'stale' } | { readonly kind: 'reserved'; readonly until: number };

interface HandoffScripts {
  readonly claim: RedisScript<[number, number?]>;
  readonly requeue: RedisScript<number>;
  readonly heartbeat: RedisScript<number>;
  readonly resolve: RedisScript<number>;
  readonly cancel: RedisScript<number>;
  readonly reassign: RedisScript<number>;
}

/**
 * Handoffs on Redis. The record (payload, state, lease) is a Redis hash changed only by Lua
 * scripts (src/handoff/scripts/), so exactly one agent wins a claim. Each time a handoff
 * (re-)enters the queue it gets a new ticket: a BullMQ job in the queue of its skill and
 * language, ordered by BullMQ priority. Agents fetch tickets with `Worker.getNextJob`; a ticket
 * that no longer matches its record (claimed through affinity, cancelled, transferred) is
 * discarded. Tickets are written through an outbox list in the same atomic step as the record,
 * so a crash between the two loses none. Every key shares the prefix's hash tag, and every
 * script names its keys in KEYS, so all of it runs on a Redis Cluster.
 */
export class BullmqHandoffQueue implements HandoffQueue {
  readonly durable = true;
  private readonly redis: RedisClient;
  private readonly keys: HandoffKeys;
  private readonly scripts: HandoffScripts;
  private readonly bullPrefix: string;
  private readonly now: () => number;
  private readonly leaseMs: number;
  private readonly presenceMs: number;
  private readonly recordTtlSeconds: number;
  private readonly queues = new Map<string, Queue<TicketData>>();
  private readonly workers = new Map<string, Worker<TicketData>>();
  private workerConnection: RedisClient | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: BullmqHandoffQueueOptions) {
    this.redis = options.redis;
    this.keys = new HandoffKeys(options.keyPrefix);
    this.bullPrefix = new RedisKeys(options.keyPrefix).bull;
    this.scripts = {
      claim: defineScript(this.redis, 'src/handoff/scripts/handoff-claim.lua'),
      requeue: defineScript(this.redis, 'src/handoff/scripts/handoff-requeue.lua'),
      heartbeat: defineScript(this.redis, 'src/handoff/scripts/handoff-heartbeat.lua'),
      resolve: defineScript(this.redis, 'src/handoff/scripts/handoff-resolve.lua'),
      cancel: defineScript(this.redis, 'src/handoff/scripts/handoff-cancel.lua'),
      reassign: defineScript(this.redis, 'src/handoff/scripts/handoff-reassign.lua'),
    };
    this.now = options.now ?? Date.now;
    this.leaseMs = options.leaseMs;
    this.presenceMs = options.presenceMs ?? options.leaseMs;
    this.recordTtlSeconds = options.recordTtlSeconds ?? DEFAULT_RECORD_TTL_SECONDS;
  }

  /** Every BullMQ queue that has held a ticket (for bull-board). */
  async bullQueues(): Promise<Queue[]> {
    const names = await this.redis.smembers(this.keys.queues);
    return names.map((name) => {
      const [skill = '', language = ''] = name.split(':');
      return this.queue(skill, language);
    });
  }

  async enqueue(handoff: NewHandoff): Promise<HandoffRecord> {
    const now = this.now();
    const rec = this.keys.record(handoff.id);
    const fields: Record<string, string> = {
      id: handoff.id,
      state: 'waiting',
      ticket: '1',
      skill: handoff.skill,
      language: handoff.language,
      priority: String(handoff.priority),
      createdAt: String(now),
      enqueuedAt: String(now),
      payload: JSON.stringify(handoff.payload),
    };
    if (handoff.reservedFor && handoff.reservedUntil) {
      fields.reservedFor = handoff.reservedFor;
      fields.reservedUntil = String(handoff.reservedUntil);
    }
    const byUser = this.keys.byUser(handoff.payload.customer.id);
    const multi = this.redis
      .multi()
      .hset(rec, fields)
      .zadd(this.keys.waiting(queueOf(handoff.skill, handoff.language)), queueScore(handoff.priority, now), handoff.id)
      .sadd(this.keys.queues, queueOf(handoff.skill, handoff.language))
      .rpush(this.keys.outbox, `${handoff.id}|1`)
      .expire(rec, this.recordTtlSeconds)
      // Erasure finds a customer's handoffs here (the records are keyed by handoff id only).
      .sadd(byUser, handoff.id)
      .expire(byUser, this.recordTtlSeconds);
    if (fields.reservedFor) multi.zadd(this.keys.offers(fields.reservedFor), fields.reservedUntil ?? '0', handoff.id);
    await multi.exec();
    await this.flushOutbox();
    const record = await this.get(handoff.id);
    if (!record) throw new Error(`handoff ${handoff.id} vanished right after enqueue`);
    return record;
  }

  async claimNext(agent: AgentRouting): Promise<HandoffRecord | undefined> {
    const now = this.now();
    await this.redis.zadd(this.keys.presence, now, agent.id);
    const offers = await this.redis.zrangebyscore(this.keys.offers(agent.id), now, '+inf');
    for (const id of offers) {
      if ((await this.claimScript(id, '', agent.id)).kind === 'claimed') return this.get(id);
    }
    await this.redis.zremrangebyscore(this.keys.offers(agent.id), '-inf', now);

    // The queues the agent may serve, the most urgent head first.
    const candidates: { skill: string; language: string; head: number }[] = [];
    for (const skill of agent.skills) {
      for (const language of agent.languages) {
        const head = await this.redis.zrange(this.keys.waiting(queueOf(skill, language)), '0', '0', 'WITHSCORES');
        if (head.length) candidates.push({ skill, language, head: Number(head[1]) });
      }
    }
    candidates.sort((a, b) => a.head - b.head);
    for (const { skill, language } of candidates) {
      const worker = this.worker(skill, language);
      for (let attempt = 0; attempt < 50; attempt++) {
        const token = randomUUID();
        const job = (await worker.getNextJob(token, { block: false })) as Job<TicketData> | undefined;
        if (!job) break;
        const result = await this.claimScript(job.data.id, String(job.data.ticket), agent.id);
        if (result.kind === 'reserved') {
          await job.moveToDelayed(result.until, token);
          continue;
        }
        await job.moveToCompleted(result.kind, token, false);
        if (result.kind === 'claimed') return this.get(job.data.id);
      }
    }
    // No ticket came up (all delayed behind an affinity window that has passed, or a ticket not
    // written yet): the records are the truth, so claim the head of the waiting set directly.
    for (const { skill, language } of candidates) {
      for (const id of await this.redis.zrange(this.keys.waiting(queueOf(skill, language)), '0', '9')) {
        if ((await this.claimScript(id, '*', agent.id)).kind === 'claimed') return this.get(id);
      }
    }
    return undefined;
  }

  async claim(id: string, agent: AgentRouting): Promise<HandoffRecord | undefined> {
    const [skill, language, reservedFor, reservedUntil] = await this.redis.hmget(this.keys.record(id), 'skill', 'language', 'reservedFor', 'reservedUntil');
    const reservedForMe = reservedFor === agent.id && Number(reservedUntil) > this.now();
    if (!reservedForMe && (!agent.skills.includes(skill ?? '') || !agent.languages.includes((language ?? '') as Locale))) return undefined;
    await this.redis.zadd(this.keys.presence, this.now(), agent.id);
    // Its BullMQ ticket stays behind and is discarded as stale by the next agent who fetches it.
    return (await this.claimScript(id, '*', agent.id)).kind === 'claimed' ? this.get(id) : undefined;
  }

  async reassign(id: string, toAgentId: string): Promise<HandoffActionResult> {
    const now = this.now();
    const result = await this.withCurrentKeys(id, KEYS_OUTDATED.reassign, async ([, holder = '']) =>
      this.scripts.reassign.run([this.keys.record(id), this.keys.held(holder), this.keys.held(toAgentId), this.keys.leases], [id, holder, toAgentId, now, now + this.leaseMs]),
    );
    if (result === 0) await this.touch(id);
    return this.actionResult(id, result);
  }

  async assignedIds(): Promise<string[]> {
    // Every assigned handoff has a lease (the scripts keep the two together).
    const ids = await this.redis.zrange(this.keys.leases, '0', '-1');
    const assigned: string[] = [];
    for (const id of ids) if ((await this.redis.hget(this.keys.record(id), 'state')) === 'assigned') assigned.push(id);
    return assigned;
  }

  async customerHandoffIds(customerId: string): Promise<string[]> {
    const records: { id: string; createdAt: number }[] = [];
    for (const id of await this.redis.smembers(this.keys.byUser(customerId))) {
      const createdAt = await this.redis.hget(this.keys.record(id), 'createdAt');
      if (createdAt) records.push({ id, createdAt: Number(createdAt) });
    }
    return records.sort((a, b) => a.createdAt - b.createdAt).map((r) => r.id);
  }

  async get(id: string): Promise<HandoffRecord | undefined> {
    const f = await this.redis.hgetall(this.keys.record(id));
    if (!f.state || !f.payload) return undefined;
    return {
      id,
      state: f.state as HandoffRecord['state'],
      skill: f.skill ?? 'general',
      language: (f.language ?? 'en') as Locale,
      priority: Number(f.priority),
      createdAt: Number(f.createdAt),
      enqueuedAt: Number(f.enqueuedAt),
      ...(f.agentId ? { agentId: f.agentId } : {}),
      ...(f.assignedAt ? { assignedAt: Number(f.assignedAt) } : {}),
      ...(f.reservedFor ? { reservedFor: f.reservedFor, reservedUntil: Number(f.reservedUntil) } : {}),
      payload: JSON.parse(f.payload) as HandoffRecord['payload'],
      ...(f.outcome ? { outcome: JSON.parse(f.outcome) as HandoffRecord['outcome'] } : {}),
    };
  }

  async heartbeat(agentId: string): Promise<void> {
    const now = this.now();
    const held = await this.redis.smembers(this.keys.held(agentId));
    await this.scripts.heartbeat.run(
      [this.keys.presence, this.keys.held(agentId), this.keys.leases, ...held.map((id) => this.keys.record(id))],
      [agentId, now, now + this.leaseMs, ...held],
    );
  }

  async isOnline(agentId: string): Promise<boolean> {
    const seen = await this.redis.zscore(this.keys.presence, agentId);
    return seen !== null && Number(seen) + this.presenceMs > this.now();
  }

  async heldBy(agentId: string): Promise<string[]> {
    const ids = await this.redis.smembers(this.keys.held(agentId));
    const held: string[] = [];
    for (const id of ids) {
      const f = await this.redis.hmget(this.keys.record(id), 'state', 'agentId');
      if (f[0] === 'assigned' && f[1] === agentId) held.push(id);
    }
    return held;
  }

  async requeueExpired(): Promise<string[]> {
    const now = this.now();
    const due = await this.redis.zrangebyscore(this.keys.leases, '-inf', now, 'LIMIT', 0, 500);
    const returned: string[] = [];
    for (const id of due) {
      if ((await this.requeueScript(id, 'expire', '', '')) === 0) returned.push(id);
    }
    await this.flushOutbox();
    return returned;
  }

  async release(id: string, agentId: string): Promise<HandoffActionResult> {
    return this.requeue(id, 'release', agentId, '');
  }

  async transfer(id: string, agentId: string, skill: string): Promise<HandoffActionResult> {
    return this.requeue(id, 'transfer', agentId, skill);
  }

  async resolve(id: string, agentId: string, outcome: ResolveOutcome): Promise<HandoffActionResult> {
    const result = await this.scripts.resolve.run(
      [this.keys.record(id), this.keys.held(agentId), this.keys.leases],
      [id, agentId, JSON.stringify({ ...outcome, by: agentId, at: this.now() })],
    );
    if (result === 0) await this.touch(id);
    return this.actionResult(id, result);
  }

  async cancel(id: string): Promise<HandoffRecord | undefined> {
    const before = await this.get(id);
    if (!before) return undefined;
    await this.withCurrentKeys(id, KEYS_OUTDATED.cancel, async ([, agentId = '', skill = '', language = '', reservedFor = '']) =>
      this.scripts.cancel.run(
        [this.keys.record(id), this.keys.waiting(queueOf(skill, language)), this.keys.offers(reservedFor), this.keys.held(agentId), this.keys.leases],
        [id, queueOf(skill, language), reservedFor, agentId],
      ),
    );
    await this.touch(id);
    return before;
  }

  async appendMessage(id: string, message: HandoffMessage): Promise<void> {
    await this.redis.rpush(this.keys.messages(id), JSON.stringify(message));
    await this.touch(id);
  }

  async setDelivery(id: string, messageId: string, delivery: MessageDelivery, error?: string): Promise<void> {
    await this.redis.hset(this.keys.delivery(id), messageId, JSON.stringify({ delivery, error }));
    await this.touch(id);
  }

  async messages(id: string): Promise<HandoffMessage[]> {
    const [list, deliveries] = await Promise.all([this.redis.lrange(this.keys.messages(id), 0, -1), this.redis.hgetall(this.keys.delivery(id))]);
    return list.map((raw) => {
      const message = JSON.parse(raw) as HandoffMessage;
      const status = deliveries[message.id];
      if (!status) return message;
      const { delivery, error } = JSON.parse(status) as { delivery: MessageDelivery; error?: string };
      return { ...message, delivery, ...(error ? { error } : {}) };
    });
  }

  async position(id: string): Promise<number | undefined> {
    const f = await this.redis.hmget(this.keys.record(id), 'state', 'skill', 'language');
    if (f[0] !== 'waiting') return undefined;
    const rank = await this.redis.zrank(this.keys.waiting(queueOf(f[1] ?? '', f[2] ?? '')), id);
    return rank === null ? undefined : rank + 1;
  }

  async waitingIds(): Promise<string[]> {
    const ids: string[] = [];
    for (const queue of await this.redis.smembers(this.keys.queues)) {
      for (const id of await this.redis.zrange(this.keys.waiting(queue), '0', '-1')) {
        // A record past its TTL leaves its place behind: drop it, or it would head the queue for ever.
        if (await this.redis.exists(this.keys.record(id))) ids.push(id);
        else await this.redis.zrem(this.keys.waiting(queue), id);
      }
    }
    return ids;
  }

  async stats(): Promise<QueueStats[]> {
    const now = this.now();
    const stats: QueueStats[] = [];
    for (const queue of await this.redis.smembers(this.keys.queues)) {
      const [skill = '', language = 'en'] = queue.split(':');
      const scored = await this.redis.zrange(this.keys.waiting(queue), '0', '-1', 'WITHSCORES');
      let oldest = now;
      for (let i = 1; i < scored.length; i += 2) oldest = Math.min(oldest, Number(scored[i]) % 1e13);
      stats.push({ skill, language: language as Locale, waiting: scored.length / 2, oldestWaitMs: now - oldest });
    }
    return stats;
  }

  async recordHandleTime(skill: string, ms: number): Promise<void> {
    const key = this.keys.handleTimes(skill);
    await this.redis.multi().lpush(key, String(Math.round(ms))).ltrim(key, 0, HANDLE_TIMES_KEPT - 1).expire(key, HANDLE_TIMES_TTL_SECONDS).exec();
  }

  async averageHandleMs(skill: string): Promise<number | undefined> {
    const list = await this.redis.lrange(this.keys.handleTimes(skill), 0, -1);
    if (!list.length) return undefined;
    return list.reduce((sum, value) => sum + Number(value), 0) / list.length;
  }

  async lastAgent(customerKey: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.lastAgent(customerKey))) ?? undefined;
  }

  async setLastAgent(customerKey: string, agentId: string): Promise<void> {
    await this.redis.set(this.keys.lastAgent(customerKey), agentId, 'EX', LAST_AGENT_TTL_SECONDS);
  }

  async eraseUser(customerId: string, channelIds: readonly string[]): Promise<{ handoffs: number; affinity: number; jobs: number }> {
    const byUser = this.keys.byUser(customerId);
    const channels = new Set(channelIds);
    let handoffs = 0;
    let jobs = 0;
    for (const id of await this.redis.smembers(byUser)) {
      const rec = this.keys.record(id);
      const [state, skill, language, agentId, reservedFor, ticket, payload] = await this.redis.hmget(rec, 'state', 'skill', 'language', 'agentId', 'reservedFor', 'ticket', 'payload');
      if (payload) channels.add((JSON.parse(payload) as HandoffRecord['payload']).channelId);
      const multi = this.redis.multi().zrem(this.keys.leases, id);
      if (skill && language) multi.zrem(this.keys.waiting(queueOf(skill, language)), id);
      if (agentId) multi.srem(this.keys.held(agentId), id);
      if (reservedFor) multi.zrem(this.keys.offers(reservedFor), id);
      await multi.del(rec, this.keys.messages(id), this.keys.delivery(id)).exec();
      if (state) handoffs += 1;
      if (skill && language) {
        for (let t = 1; t <= Number(ticket ?? 0); t++) jobs += (await this.queue(skill, language).remove(`${id}-${t}`).catch(() => 0)) ? 1 : 0;
      }
    }
    await this.redis.del(byUser);
    let affinity = 0;
    for (const channelId of channels) affinity += await this.redis.del(this.keys.lastAgent(`${channelId}/${customerId}`));
    return { handoffs, affinity, jobs };
  }

  /** Writes the tickets the outbox holds as BullMQ jobs; safe to run in every process at once. */
  async flushOutbox(): Promise<void> {
    this.flushing ??= this.drainOutbox().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flushing?.catch(() => undefined);
    await Promise.all([...this.workers.values()].map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.workers.clear();
    this.queues.clear();
    if (this.workerConnection) await this.workerConnection.quit().catch(() => this.workerConnection?.disconnect());
  }

  private async drainOutbox(): Promise<void> {
    for (;;) {
      const entry = await this.redis.lindex(this.keys.outbox, 0);
      if (!entry) return;
      const [id = '', ticket = ''] = entry.split('|');
      const f = await this.redis.hmget(this.keys.record(id), 'state', 'ticket', 'skill', 'language', 'priority');
      if (f[0] === 'waiting' && f[1] === ticket && f[2] && f[3]) {
        await this.queue(f[2], f[3]).add(
          'handoff',
          { id, ticket: Number(ticket) },
          { jobId: `${id}-${ticket}`, priority: Number(f[4]) || 5, removeOnComplete: true, removeOnFail: { age: FAILED_JOB_AGE_SECONDS, count: 1000 } },
        );
      }
      await this.redis.lrem(this.keys.outbox, 1, entry);
    }
  }

  /** Slides the expiry of a handoff's record, messages and delivery notes (changed just now). */
  private async touch(id: string): Promise<void> {
    const ttl = this.recordTtlSeconds;
    await this.redis.multi().expire(this.keys.record(id), ttl).expire(this.keys.messages(id), ttl).expire(this.keys.delivery(id), ttl).exec();
  }

  /**
   * Runs a script whose keys depend on the record (its queue, reservation or holder): reads
   * them, runs, and reads again while the script answers that they changed in between.
   */
  private async withCurrentKeys<Reply>(
    id: string,
    outdated: number,
    run: (fields: string[]) => Promise<Reply>,
  ): Promise<Reply> {
    for (let read = 0; read < MAX_KEY_READS; read++) {
      const fields = await this.redis.hmget(this.keys.record(id), 'state', 'agentId', 'skill', 'language', 'reservedFor');
      const reply = await run(fields.map((field) => field ?? ''));
      if ((Array.isArray(reply) ? reply[0] : reply) !== outdated) return reply;
    }
    throw new Error(`handoff ${id} kept changing its queue or holder while a script ran`);
  }

  private async claimScript(id: string, ticket: string, agentId: string): Promise<ClaimResult> {
    const now = this.now();
    const [code, reservedUntil] = await this.withCurrentKeys(id, KEYS_OUTDATED.claim, async ([, , skill = '', language = '', reservedFor = '']) =>
      this.scripts.claim.run(
        [this.keys.record(id), this.keys.waiting(queueOf(skill, language)), this.keys.offers(reservedFor || agentId), this.keys.held(agentId), this.keys.leases],
        [id, ticket, agentId, now, now + this.leaseMs, queueOf(skill, language), reservedFor],
      ),
    );
    if (code === CLAIMED) return { kind: 'claimed' };
    if (code === CLAIM_RESERVED) return { kind: 'reserved', until: Number(reservedUntil) };
    if (code === CLAIM_STALE) return { kind: 'stale' };
    throw new Error(`handoff claim script answered ${code}`);
  }

  /** Returns the requeue script's reply: 0 requeued, else the reason (see handoff-requeue.lua). */
  private async requeueScript(id: string, mode: 'expire' | 'release' | 'transfer', agentId: string, newSkill: string): Promise<number> {
    const now = this.now();
    return this.withCurrentKeys(id, KEYS_OUTDATED.requeue, async ([, holder = '', skill = '', language = '']) => {
      const queue = queueOf(mode === 'transfer' ? newSkill : skill, language);
      return this.scripts.requeue.run(
        [this.keys.record(id), this.keys.held(holder), this.keys.leases, this.keys.waiting(queue), this.keys.queues, this.keys.outbox],
        [id, mode, agentId, now, newSkill, holder, queue],
      );
    });
  }

  private async requeue(id: string, mode: 'release' | 'transfer', agentId: string, skill: string): Promise<HandoffActionResult> {
    const result = await this.requeueScript(id, mode, agentId, skill);
    if (result === 0) await this.flushOutbox();
    return this.actionResult(id, result);
  }

  private async actionResult(id: string, result: number): Promise<HandoffActionResult> {
    if (result !== 0) {
      const reason = ACTION_REASONS[result];
      if (reason === undefined || reason === 'alive') throw new Error(`handoff script answered ${result}`);
      return { ok: false, reason };
    }
    const record = await this.get(id);
    return record ? { ok: true, record } : { ok: false, reason: 'not-found' };
  }

  private queue(skill: string, language: string): Queue<TicketData> {
    const name = handoffQueueName(skill, language);
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<TicketData>(name, { connection: this.redis, prefix: this.bullPrefix });
      queue.on('error', (error) => this.options.logger.error({ err: error, queue: name }, 'handoff queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  private worker(skill: string, language: string): Worker<TicketData> {
    const name = handoffQueueName(skill, language);
    let worker = this.workers.get(name);
    if (!worker) {
      if (this.closed) throw new Error('the handoff queue is closed');
      this.workerConnection ??= this.options.createWorkerConnection();
      worker = new Worker<TicketData>(name, null, { connection: this.workerConnection, prefix: this.bullPrefix, autorun: false, lockDuration: 30_000 });
      worker.on('error', (error) => this.options.logger.error({ err: error, queue: name }, 'handoff worker error'));
      // Tickets fetched by a process that died before settling them go back to the queue.
      void worker.startStalledCheckTimer().catch((error: unknown) => this.options.logger.error({ err: error }, 'stalled check failed'));
      this.workers.set(name, worker);
    }
    return worker;
  }
}

/** A queue's name in the record's indexes: `<skill>:<language>`. */
function queueOf(skill: string, language: string): string {
  return `${skill}:${language}`;
}
