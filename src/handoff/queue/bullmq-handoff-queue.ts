import type { Queue } from 'bullmq';
import type { Locale } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { AgentRouting, HandoffMessage, HandoffRecord, MessageDelivery, NewHandoff, QueueStats } from '../types.js';
import { queueScore, type HandoffActionResult, type HandoffQueue, type HandoffQueueOptions, type ResolveOutcome } from './handoff-queue.js';
import type { RedisClient } from '../../state/create-redis.js';
import { HandoffKeys, RedisKeys } from '../../state/redis-keys.js';
import { HandoffScripts, type ActionReply } from '../scripts/handoff-scripts.js';
import { newRecordFields, recordFromFields } from './record-hash.js';
import { eraseCustomerHandoffs } from './redis-handoff-erasure.js';
import { RedisRoutingMemory } from './redis-routing-memory.js';
import { RedisWaitingSets } from './redis-waiting-sets.js';
import { outboxEntry, TicketOutbox } from './ticket-outbox.js';
import { TicketQueues } from './ticket-queues.js';

export interface BullmqHandoffQueueOptions extends HandoffQueueOptions {
  /** The shared producer connection. */
  readonly redis: RedisClient;
  /** Opens the connection workers use (`maxRetriesPerRequest: null`). */
  readonly createWorkerConnection: () => RedisClient;
  /** Hash-tagged (`{carebot}`), so every key and BullMQ queue shares one Redis Cluster slot. */
  readonly keyPrefix: string;
  readonly logger: Logger;
}

const DEFAULT_RECORD_TTL_SECONDS = 24 * 60 * 60;

/**
 * Handoffs on Redis. The record (payload, state, lease) is a Redis hash changed only by Lua
 * scripts (src/handoff/scripts/), so exactly one agent wins a claim. Each time a handoff
 * (re-)enters the queue it gets a new ticket: a BullMQ job in the queue of its skill and
 * language, ordered by BullMQ priority (ticket-queues.ts). Agents fetch tickets with
 * `Worker.getNextJob`; a ticket that no longer matches its record (claimed through affinity,
 * cancelled, transferred) is discarded. Tickets go through an outbox (ticket-outbox.ts), so a
 * crash between record and ticket loses none. Every key shares the prefix's hash tag, and every
 * script names its keys in KEYS, so all of it runs on a Redis Cluster.
 */
export class BullmqHandoffQueue implements HandoffQueue {
  readonly durable = true;
  private readonly redis: RedisClient;
  private readonly keys: HandoffKeys;
  private readonly scripts: HandoffScripts;
  private readonly tickets: TicketQueues;
  private readonly outbox: TicketOutbox;
  private readonly routing: RedisRoutingMemory;
  private readonly waiting: RedisWaitingSets;
  private readonly now: () => number;
  private readonly presenceMs: number;
  private readonly recordTtlSeconds: number;

  constructor(options: BullmqHandoffQueueOptions) {
    this.redis = options.redis;
    this.keys = new HandoffKeys(options.keyPrefix);
    this.now = options.now ?? Date.now;
    this.scripts = new HandoffScripts({ redis: this.redis, keys: this.keys, now: this.now, leaseMs: options.leaseMs });
    this.tickets = new TicketQueues({
      redis: this.redis,
      createWorkerConnection: options.createWorkerConnection,
      keys: this.keys,
      bullPrefix: new RedisKeys(options.keyPrefix).bull,
      logger: options.logger,
    });
    this.outbox = new TicketOutbox(this.redis, this.keys, this.tickets);
    this.routing = new RedisRoutingMemory(this.redis, this.keys);
    this.waiting = new RedisWaitingSets(this.redis, this.keys);
    this.presenceMs = options.presenceMs ?? options.leaseMs;
    this.recordTtlSeconds = options.recordTtlSeconds ?? DEFAULT_RECORD_TTL_SECONDS;
  }

  /** Every BullMQ queue that has held a ticket (for bull-board). */
  async bullQueues(): Promise<Queue[]> {
    const names = await this.redis.smembers(this.keys.queues);
    return names.map((name) => {
      const { skill, language } = this.keys.skillAndLanguage(name);
      return this.tickets.queue(skill, language);
    });
  }

  async enqueue(handoff: NewHandoff): Promise<HandoffRecord> {
    const now = this.now();
    const rec = this.keys.record(handoff.id);
    const fields = newRecordFields(handoff, now);
    const queue = this.keys.queueName(handoff.skill, handoff.language);
    const byUser = this.keys.byUser(handoff.payload.customer.id);
    const multi = this.redis
      .multi()
      .hset(rec, fields)
      .zadd(this.keys.waiting(queue), queueScore(handoff.priority, now), handoff.id)
      .sadd(this.keys.queues, queue)
      .rpush(this.keys.outbox, outboxEntry(handoff.id, 1))
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
      if ((await this.scripts.claim(id, '', agent.id)).kind === 'claimed') return this.get(id);
    }
    await this.redis.zremrangebyscore(this.keys.offers(agent.id), '-inf', now);

    // The queues the agent may serve, the most urgent head first.
    const candidates: { skill: string; language: string; head: number }[] = [];
    for (const skill of agent.skills) {
      for (const language of agent.languages) {
        const head = await this.redis.zrange(this.keys.waiting(this.keys.queueName(skill, language)), '0', '0', 'WITHSCORES');
        if (head.length) candidates.push({ skill, language, head: Number(head[1]) });
      }
    }
    candidates.sort((a, b) => a.head - b.head);
    for (const { skill, language } of candidates) {
      const claimed = await this.tickets.claimNext(skill, language, (ticket) => this.scripts.claim(ticket.id, String(ticket.ticket), agent.id));
      if (claimed) return this.get(claimed);
    }
    // No ticket came up (all delayed behind an affinity window that has passed, or a ticket not
    // written yet): the records are the truth, so claim the head of the waiting set directly.
    for (const { skill, language } of candidates) {
      for (const id of await this.redis.zrange(this.keys.waiting(this.keys.queueName(skill, language)), '0', '9')) {
        if ((await this.scripts.claim(id, '*', agent.id)).kind === 'claimed') return this.get(id);
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
    return (await this.scripts.claim(id, '*', agent.id)).kind === 'claimed' ? this.get(id) : undefined;
  }

  async reassign(id: string, toAgentId: string): Promise<HandoffActionResult> {
    const reply = await this.scripts.reassign(id, toAgentId);
    if (reply.ok) await this.touch(id);
    return this.actionResult(id, reply);
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
    return recordFromFields(id, await this.redis.hgetall(this.keys.record(id)));
  }

  async heartbeat(agentId: string): Promise<void> {
    await this.scripts.heartbeat(agentId);
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
    const due = await this.redis.zrangebyscore(this.keys.leases, '-inf', this.now(), 'LIMIT', 0, 500);
    const returned: string[] = [];
    for (const id of due) if (await this.scripts.expire(id)) returned.push(id);
    await this.flushOutbox();
    return returned;
  }

  async release(id: string, agentId: string): Promise<HandoffActionResult> {
    return this.requeue(id, agentId);
  }

  async transfer(id: string, agentId: string, skill: string): Promise<HandoffActionResult> {
    return this.requeue(id, agentId, skill);
  }

  async resolve(id: string, agentId: string, outcome: ResolveOutcome): Promise<HandoffActionResult> {
    const reply = await this.scripts.resolve(id, agentId, JSON.stringify({ ...outcome, by: agentId, at: this.now() }));
    if (reply.ok) await this.touch(id);
    return this.actionResult(id, reply);
  }

  async cancel(id: string): Promise<HandoffRecord | undefined> {
    const before = await this.get(id);
    if (!before) return undefined;
    await this.scripts.cancel(id);
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
    return this.waiting.position(id);
  }

  async waitingIds(): Promise<string[]> {
    return this.waiting.ids();
  }

  async stats(): Promise<QueueStats[]> {
    return this.waiting.stats(this.now());
  }

  async recordHandleTime(skill: string, ms: number): Promise<void> {
    await this.routing.recordHandleTime(skill, ms);
  }

  async averageHandleMs(skill: string): Promise<number | undefined> {
    return this.routing.averageHandleMs(skill);
  }

  async lastAgent(customerKey: string): Promise<string | undefined> {
    return this.routing.lastAgent(customerKey);
  }

  async setLastAgent(customerKey: string, agentId: string): Promise<void> {
    await this.routing.setLastAgent(customerKey, agentId);
  }

  async eraseUser(customerId: string, channelIds: readonly string[]): Promise<{ handoffs: number; affinity: number; jobs: number }> {
    return eraseCustomerHandoffs(this.redis, this.keys, this.tickets, customerId, channelIds);
  }

  /** Writes the tickets the outbox holds as BullMQ jobs; safe to run in every process at once. */
  async flushOutbox(): Promise<void> {
    return this.outbox.flush();
  }

  async close(): Promise<void> {
    await this.outbox.settle();
    await this.tickets.close();
  }

  /** Slides the expiry of a handoff's record, messages and delivery notes (changed just now). */
  private async touch(id: string): Promise<void> {
    const ttl = this.recordTtlSeconds;
    await this.redis.multi().expire(this.keys.record(id), ttl).expire(this.keys.messages(id), ttl).expire(this.keys.delivery(id), ttl).exec();
  }

  private async requeue(id: string, agentId: string, newSkill?: string): Promise<HandoffActionResult> {
    const reply = await this.scripts.requeue(id, agentId, newSkill);
    if (reply.ok) await this.flushOutbox();
    return this.actionResult(id, reply);
  }

  private async actionResult(id: string, reply: ActionReply): Promise<HandoffActionResult> {
    if (!reply.ok) return reply;
    const record = await this.get(id);
    return record ? { ok: true, record } : { ok: false, reason: 'not-found' };
  }
}
