import type { AgentRouting, HandoffMessage, HandoffRecord, MessageDelivery, NewHandoff, QueueStats } from '../types.js';

export type ResolveOutcome = { readonly disposition: string; readonly note?: string | undefined };

/** Why an agent's action on a handoff was refused. */
export type HandoffActionResult = { ok: true; record: HandoffRecord } | { ok: false; reason: 'not-found' | 'not-yours' | 'not-assigned' };

/**
 * The handoff queues and records every process shares. Two implementations behind one
 * contract (test/handoff/handoff-queue.contract.ts): BullMQ on Redis (durable) and in-process
 * (embedded default, lost on restart).
 *
 * Each handoff is accepted by exactly one agent: `claimNext` hands a waiting handoff to one
 * caller only. An assigned handoff is leased to its agent; `heartbeat` renews the lease and
 * `requeueExpired` returns the handoffs of vanished agents to the queue with their context.
 */
export interface HandoffQueue {
  readonly durable: boolean;
  enqueue(handoff: NewHandoff): Promise<HandoffRecord>;
  /** Accepts the next handoff `agent` may take: their affinity offers first, then by priority and wait. */
  claimNext(agent: AgentRouting): Promise<HandoffRecord | undefined>;
  /** Accepts one waiting handoff (the one the agent previewed) when the agent may take it. */
  claim(id: string, agent: AgentRouting): Promise<HandoffRecord | undefined>;
  /** A supervisor moves an assigned handoff to another agent, who holds it with a fresh lease. */
  reassign(id: string, toAgentId: string): Promise<HandoffActionResult>;
  /** Every handoff an agent holds now (the supervisor's live chats). */
  assignedIds(): Promise<string[]>;
  /** Every handoff of a customer still on record, oldest first (their earlier conversations). */
  customerHandoffIds(customerId: string): Promise<string[]>;
  get(id: string): Promise<HandoffRecord | undefined>;
  /** Renews the leases of every handoff `agentId` holds, and marks the agent online. */
  heartbeat(agentId: string): Promise<void>;
  isOnline(agentId: string): Promise<boolean>;
  /** Handoffs `agentId` holds now. */
  heldBy(agentId: string): Promise<string[]>;
  /** Returns handoffs whose lease ran out to the queue; resolves with their ids. */
  requeueExpired(): Promise<string[]>;
  /** Returns a handoff to the queue at once (agent logged out). */
  release(id: string, agentId: string): Promise<HandoffActionResult>;
  transfer(id: string, agentId: string, skill: string): Promise<HandoffActionResult>;
  resolve(id: string, agentId: string, outcome: ResolveOutcome): Promise<HandoffActionResult>;
  /** The customer gave up waiting (or left): resolves with the record as it was before. */
  cancel(id: string): Promise<HandoffRecord | undefined>;
  appendMessage(id: string, message: HandoffMessage): Promise<void>;
  setDelivery(id: string, messageId: string, delivery: MessageDelivery, error?: string): Promise<void>;
  messages(id: string): Promise<HandoffMessage[]>;
  /** 1-based place in its queue, or undefined when not waiting. */
  position(id: string): Promise<number | undefined>;
  waitingIds(): Promise<string[]>;
  stats(): Promise<QueueStats[]>;
  recordHandleTime(skill: string, ms: number): Promise<void>;
  /** Mean of the recent handle times of a skill, undefined before the first. */
  averageHandleMs(skill: string): Promise<number | undefined>;
  lastAgent(customerKey: string): Promise<string | undefined>;
  setLastAgent(customerKey: string, agentId: string): Promise<void>;
  /**
   * Erasure: deletes every handoff of a customer (record, messages, deliveries, queue places) and
   * their last-agent affinity on `channelIds`; resolves with what went.
   */
  eraseUser(customerId: string, channelIds: readonly string[]): Promise<{ handoffs: number; affinity: number; jobs: number }>;
  close(): Promise<void>;
}

export interface HandoffQueueOptions {
  readonly leaseMs: number;
  /** An agent counts as online this long after their last sign of life. */
  readonly presenceMs?: number;
  readonly now?: () => number;
  /** Records, messages and delivery notes expire this long after their last change (Redis). */
  readonly recordTtlSeconds?: number;
}

export const HANDLE_TIMES_KEPT = 50;

/** Priorities are whole numbers, and epoch milliseconds stay below 1e13 until the year 2286 (handoff-requeue.lua scores the same way). */
const PRIORITY_STEP = 1e13;

/** Sort key inside one skill/language queue: priority first, then who waited longest. */
export function queueScore(priority: number, enqueuedAt: number): number {
  return priority * PRIORITY_STEP + enqueuedAt;
}

/** When a handoff entered its queue, from its `queueScore`. */
export function enqueuedAtOf(score: number): number {
  return score % PRIORITY_STEP;
}
