import type { AgentRouting, HandoffMessage, HandoffRecord, MessageDelivery, NewHandoff, QueueStats } from '../types.js';
import { customerKeyOf } from '../handoff-keys.js';
import { MemoryRoutingMemory } from './memory-routing-memory.js';
import { queueScore, type HandoffActionResult, type HandoffQueue, type HandoffQueueOptions, type ResolveOutcome } from './handoff-queue.js';

const DEFAULT_RECORD_TTL_SECONDS = 24 * 60 * 60;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Entry = Mutable<HandoffRecord> & { leaseUntil?: number };

/**
 * The embedded handoff queue: everything in this process's memory. Not durable — a restart
 * forgets waiting handoffs — and not shared between processes. Use Redis for production.
 */
export class MemoryHandoffQueue implements HandoffQueue {
  readonly durable = false;
  /** Open handoffs (the work itself) and closed ones until forgetFinished drops them. */
  private readonly records = new Map<string, Entry>();
  /** Ids of waiting handoffs, so claims scan the waiting only. */
  private readonly waiting = new Set<string>();
  /** One list per record, dropped with it. */
  private readonly messageLists = new Map<string, HandoffMessage[]>();
  /** Keyed by agent: as many as the agent directory holds. */
  private readonly presence = new Map<string, number>();
  private readonly routing: MemoryRoutingMemory;
  /** Resolved and cancelled handoffs by when they ended (oldest first), forgotten after recordTtlMs like the Redis records. */
  private readonly finishedAt = new Map<string, number>();
  private readonly now: () => number;
  private readonly leaseMs: number;
  private readonly presenceMs: number;
  private readonly recordTtlMs: number;

  constructor(options: HandoffQueueOptions) {
    this.now = options.now ?? Date.now;
    this.leaseMs = options.leaseMs;
    this.presenceMs = options.presenceMs ?? options.leaseMs;
    this.recordTtlMs = (options.recordTtlSeconds ?? DEFAULT_RECORD_TTL_SECONDS) * 1000;
    this.routing = new MemoryRoutingMemory(() => this.now());
  }

  async enqueue(handoff: NewHandoff): Promise<HandoffRecord> {
    const now = this.now();
    this.forgetFinished(now);
    const entry: Entry = { ...handoff, state: 'waiting', createdAt: now, enqueuedAt: now };
    this.records.set(handoff.id, entry);
    this.waiting.add(handoff.id);
    this.messageLists.set(handoff.id, []);
    return snapshot(entry);
  }

  async claimNext(agent: AgentRouting): Promise<HandoffRecord | undefined> {
    const now = this.now();
    this.presence.set(agent.id, now);
    let best: Entry | undefined;
    let bestKey = Infinity;
    for (const id of this.waiting) {
      const entry = this.records.get(id);
      if (entry?.state !== 'waiting') continue;
      const reservedForMe = entry.reservedFor === agent.id && (entry.reservedUntil ?? 0) > now;
      if (!reservedForMe) {
        if (!agent.skills.includes(entry.skill) || !agent.languages.includes(entry.language)) continue;
        if (entry.reservedFor && entry.reservedFor !== agent.id && (entry.reservedUntil ?? 0) > now) continue;
      }
      const key = (reservedForMe ? 0 : 1e15) + queueScore(entry.priority, entry.enqueuedAt);
      if (key < bestKey) {
        best = entry;
        bestKey = key;
      }
    }
    if (!best) return undefined;
    return this.assign(best, agent.id, now);
  }

  private assign(entry: Entry, agentId: string, now: number): HandoffRecord {
    this.waiting.delete(entry.id);
    entry.state = 'assigned';
    entry.agentId = agentId;
    entry.assignedAt = now;
    entry.leaseUntil = now + this.leaseMs;
    delete entry.reservedFor;
    delete entry.reservedUntil;
    return snapshot(entry);
  }

  async claim(id: string, agent: AgentRouting): Promise<HandoffRecord | undefined> {
    const now = this.now();
    const entry = this.records.get(id);
    if (entry?.state !== 'waiting') return undefined;
    const reserved = entry.reservedFor !== undefined && (entry.reservedUntil ?? 0) > now;
    if (reserved && entry.reservedFor !== agent.id) return undefined;
    if (!reserved && (!agent.skills.includes(entry.skill) || !agent.languages.includes(entry.language))) return undefined;
    this.presence.set(agent.id, now);
    return this.assign(entry, agent.id, now);
  }

  async reassign(id: string, toAgentId: string): Promise<HandoffActionResult> {
    const entry = this.records.get(id);
    if (!entry) return { ok: false, reason: 'not-found' };
    if (entry.state !== 'assigned') return { ok: false, reason: 'not-assigned' };
    return { ok: true, record: this.assign(entry, toAgentId, this.now()) };
  }

  async assignedIds(): Promise<string[]> {
    return [...this.records.values()].filter((e) => e.state === 'assigned').map((e) => e.id);
  }

  async customerHandoffIds(customerId: string): Promise<string[]> {
    return [...this.records.values()].filter((e) => e.payload.customer.id === customerId).sort((a, b) => a.createdAt - b.createdAt).map((e) => e.id);
  }

  async get(id: string): Promise<HandoffRecord | undefined> {
    const entry = this.records.get(id);
    return entry ? snapshot(entry) : undefined;
  }

  async heartbeat(agentId: string): Promise<void> {
    const now = this.now();
    this.presence.set(agentId, now);
    for (const entry of this.records.values()) {
      if (entry.state === 'assigned' && entry.agentId === agentId) entry.leaseUntil = now + this.leaseMs;
    }
  }

  async isOnline(agentId: string): Promise<boolean> {
    const seen = this.presence.get(agentId);
    return seen !== undefined && seen + this.presenceMs > this.now();
  }

  async heldBy(agentId: string): Promise<string[]> {
    return [...this.records.values()].filter((e) => e.state === 'assigned' && e.agentId === agentId).map((e) => e.id);
  }

  async requeueExpired(): Promise<string[]> {
    const now = this.now();
    const ids: string[] = [];
    for (const entry of this.records.values()) {
      if (entry.state === 'assigned' && (entry.leaseUntil ?? 0) <= now) {
        this.backToQueue(entry);
        ids.push(entry.id);
      }
    }
    return ids;
  }

  async release(id: string, agentId: string): Promise<HandoffActionResult> {
    return this.act(id, agentId, (entry) => this.backToQueue(entry));
  }

  async transfer(id: string, agentId: string, skill: string): Promise<HandoffActionResult> {
    return this.act(id, agentId, (entry) => {
      this.backToQueue(entry);
      entry.skill = skill;
    });
  }

  async resolve(id: string, agentId: string, outcome: ResolveOutcome): Promise<HandoffActionResult> {
    return this.act(id, agentId, (entry) => {
      entry.state = 'resolved';
      entry.outcome = { ...outcome, by: agentId, at: this.now() };
      this.finishedAt.set(id, this.now());
      delete entry.leaseUntil;
    });
  }

  async cancel(id: string): Promise<HandoffRecord | undefined> {
    const entry = this.records.get(id);
    if (!entry) return undefined;
    const before = snapshot(entry);
    if (entry.state === 'waiting' || entry.state === 'assigned') {
      entry.state = 'cancelled';
      this.finishedAt.set(id, this.now());
      this.waiting.delete(id);
      delete entry.leaseUntil;
    }
    return before;
  }

  async appendMessage(id: string, message: HandoffMessage): Promise<void> {
    const list = this.messageLists.get(id) ?? [];
    list.push(message);
    this.messageLists.set(id, list);
  }

  async setDelivery(id: string, messageId: string, delivery: MessageDelivery, error?: string): Promise<void> {
    const list = this.messageLists.get(id) ?? [];
    const index = list.findIndex((m) => m.id === messageId);
    const found = list[index];
    if (found) list[index] = { ...found, delivery, ...(error ? { error } : {}) };
  }

  async messages(id: string): Promise<HandoffMessage[]> {
    return [...(this.messageLists.get(id) ?? [])];
  }

  async position(id: string): Promise<number | undefined> {
    const entry = this.records.get(id);
    if (!entry || entry.state !== 'waiting') return undefined;
    const mine = queueScore(entry.priority, entry.enqueuedAt);
    let ahead = 0;
    for (const otherId of this.waiting) {
      const other = this.records.get(otherId);
      if (other?.state === 'waiting' && other.skill === entry.skill && other.language === entry.language && queueScore(other.priority, other.enqueuedAt) < mine) ahead += 1;
    }
    return ahead + 1;
  }

  async waitingIds(): Promise<string[]> {
    return [...this.waiting];
  }

  async stats(): Promise<QueueStats[]> {
    const now = this.now();
    const byQueue = new Map<string, QueueStats>();
    for (const entry of this.records.values()) {
      const key = `${entry.skill}|${entry.language}`;
      const current = byQueue.get(key) ?? { skill: entry.skill, language: entry.language, waiting: 0, oldestWaitMs: 0 };
      if (entry.state === 'waiting') {
        byQueue.set(key, { ...current, waiting: current.waiting + 1, oldestWaitMs: Math.max(current.oldestWaitMs, now - entry.enqueuedAt) });
      } else {
        byQueue.set(key, current);
      }
    }
    return [...byQueue.values()];
  }

  async recordHandleTime(skill: string, ms: number): Promise<void> {
    this.routing.recordHandleTime(skill, ms);
  }

  async averageHandleMs(skill: string): Promise<number | undefined> {
    return this.routing.averageHandleMs(skill);
  }

  async lastAgent(customerKey: string): Promise<string | undefined> {
    return this.routing.lastAgent(customerKey);
  }

  async setLastAgent(customerKey: string, agentId: string): Promise<void> {
    this.routing.setLastAgent(customerKey, agentId);
  }

  async eraseUser(customerId: string, channelIds: readonly string[]): Promise<{ handoffs: number; affinity: number; jobs: number }> {
    const channels = new Set(channelIds);
    let handoffs = 0;
    for (const [id, entry] of this.records) {
      if (entry.payload.customer.id !== customerId) continue;
      channels.add(entry.payload.channelId);
      this.records.delete(id);
      this.waiting.delete(id);
      this.messageLists.delete(id);
      this.finishedAt.delete(id);
      handoffs += 1;
    }
    let affinity = 0;
    for (const channelId of channels) if (this.routing.forgetLastAgent(customerKeyOf(channelId, customerId))) affinity += 1;
    return { handoffs, affinity, jobs: 0 };
  }

  async close(): Promise<void> {}

  private forgetFinished(now: number): void {
    for (const [id, at] of this.finishedAt) {
      if (now - at < this.recordTtlMs) break;
      this.finishedAt.delete(id);
      this.records.delete(id);
      this.messageLists.delete(id);
    }
  }

  private backToQueue(entry: Entry): void {
    resetToWaiting(entry);
    this.waiting.add(entry.id);
  }

  private act(id: string, agentId: string, change: (entry: Entry) => void): HandoffActionResult {
    const entry = this.records.get(id);
    if (!entry) return { ok: false, reason: 'not-found' };
    if (entry.state !== 'assigned') return { ok: false, reason: 'not-assigned' };
    if (entry.agentId !== agentId) return { ok: false, reason: 'not-yours' };
    change(entry);
    return { ok: true, record: snapshot(entry) };
  }
}

function resetToWaiting(entry: Entry): void {
  entry.state = 'waiting';
  delete entry.agentId;
  delete entry.assignedAt;
  delete entry.leaseUntil;
  delete entry.reservedFor;
  delete entry.reservedUntil;
}

function snapshot(entry: Entry): HandoffRecord {
  const { leaseUntil: _lease, ...rest } = entry;
  return structuredClone(rest);
}
