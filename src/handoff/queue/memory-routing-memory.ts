import { LRUCache } from 'lru-cache';
import { HANDLE_TIMES_KEPT } from './handoff-queue.js';

const LAST_AGENT_TTL_MS = 90 * 24 * 60 * 60 * 1000;
const MAX_AFFINITY = 100_000;

/**
 * What routing remembers beyond one handoff, in this process (redis-routing-memory.ts keeps the
 * same on Redis): the recent handle times of each skill, and the agent who last served each
 * customer for as long as Redis keeps it, for at most MAX_AFFINITY customers.
 */
export class MemoryRoutingMemory {
  /** Keyed by skill: as many as the configuration has. */
  private readonly handleTimes = new Map<string, number[]>();
  private readonly lastAgents: LRUCache<string, string>;

  constructor(now: () => number, maxAffinity = MAX_AFFINITY) {
    this.lastAgents = new LRUCache({ max: maxAffinity, ttl: LAST_AGENT_TTL_MS, ttlResolution: 0, perf: { now } });
  }

  recordHandleTime(skill: string, ms: number): void {
    const list = this.handleTimes.get(skill) ?? [];
    list.unshift(ms);
    list.length = Math.min(list.length, HANDLE_TIMES_KEPT);
    this.handleTimes.set(skill, list);
  }

  averageHandleMs(skill: string): number | undefined {
    const list = this.handleTimes.get(skill);
    if (!list?.length) return undefined;
    return list.reduce((a, b) => a + b, 0) / list.length;
  }

  lastAgent(customerKey: string): string | undefined {
    return this.lastAgents.get(customerKey);
  }

  setLastAgent(customerKey: string, agentId: string): void {
    this.lastAgents.set(customerKey, agentId);
  }

  /** Erasure; true when there was one. */
  forgetLastAgent(customerKey: string): boolean {
    return this.lastAgents.delete(customerKey);
  }
}
