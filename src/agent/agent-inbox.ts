import type { CallbackRecord } from '../handoff/callbacks/callback-store.js';
import type { HandoffService } from '../handoff/handoff-service.js';
import { isOpen } from '../handoff/skills.js';
import type { HandoffMessage, HandoffRecord, QueueStats } from '../handoff/types.js';
import type { Agent, AgentDirectory } from './agent-directory.js';
import type { AgentAvailability, AgentStatusStore } from './agent-status.js';

/** One line of an inbox: enough to choose a chat without opening it. */
export interface ChatSummary {
  readonly id: string;
  readonly customer: string;
  readonly channelId: string;
  readonly skill: string;
  readonly language: string;
  readonly priority: number;
  /** When the customer first asked for a person (waiting time counts from here). */
  readonly createdAt: number;
  readonly assignedAt?: number | undefined;
  readonly agentId?: string | undefined;
  /** The latest sentiment score known (-1 … 1), if any. */
  readonly sentiment?: number | undefined;
  readonly lastMessage: string;
  /** Customer messages so far: the console counts the unread ones against what it has shown. */
  readonly customerMessages: number;
}

export type AgentState = AgentAvailability | 'busy' | 'offline';

export interface FloorAgent {
  readonly id: string;
  readonly name: string;
  readonly role: Agent['role'];
  readonly skills: readonly string[];
  readonly languages: readonly string[];
  readonly capacity: number;
  readonly load: number;
  readonly state: AgentState;
}

export interface Floor {
  readonly agents: readonly FloorAgent[];
  readonly queues: readonly QueueStats[];
  readonly chats: readonly ChatSummary[];
  /** Not done yet, oldest first; `due` once the skill's working hours have started again. */
  readonly callbacks: readonly (CallbackRecord & { readonly due: boolean })[];
}

export type AcceptResult = { ok: true; record: HandoffRecord } | { ok: false; reason: 'at-capacity' | 'nobody-waiting' | 'not-available' };

/** Waiting previews shown per agent; the queue stats give the full counts. */
const PREVIEWS = 20;

/**
 * An agent's share of the work: the chats they hold up to their capacity, the waiting handoffs
 * they may take (offered with a preview, or assigned as room frees up for agents with
 * `autoAssign`), and the floor a supervisor watches. Routing itself (skill, language, priority,
 * affinity) stays in the queue's claim.
 */
export class AgentInbox {
  private readonly now: () => number;

  constructor(private readonly deps: { service: HandoffService; agents: AgentDirectory; statuses: AgentStatusStore; now?: (() => number) | undefined }) {
    this.now = deps.now ?? Date.now;
  }

  async load(agentId: string): Promise<number> {
    return (await this.deps.service.queue.heldBy(agentId)).length;
  }

  async chats(agentId: string): Promise<ChatSummary[]> {
    return this.summaries(await this.deps.service.queue.heldBy(agentId));
  }

  /** Waiting handoffs `agent` may accept, most urgent first (priority, then wait). */
  async waiting(agent: Agent): Promise<ChatSummary[]> {
    const { queue } = this.deps.service;
    const now = this.now();
    const records: HandoffRecord[] = [];
    for (const id of await queue.waitingIds()) {
      const record = await queue.get(id);
      if (record && record.state === 'waiting' && mayTake(agent, record, now)) records.push(record);
    }
    records.sort((a, b) => a.priority - b.priority || a.enqueuedAt - b.enqueuedAt);
    return this.summaries(records.slice(0, PREVIEWS).map((r) => r.id));
  }

  /** The waiting handoff with its bot transcript, before accepting (only one the agent may take). */
  async preview(agent: Agent, id: string): Promise<HandoffRecord | undefined> {
    const record = await this.deps.service.queue.get(id);
    return record && record.state === 'waiting' && mayTake(agent, record, this.now()) ? record : undefined;
  }

  async acceptNext(agent: Agent, by: 'agent' | 'auto' = 'agent'): Promise<AcceptResult> {
    const refused = await this.refusal(agent);
    if (refused) return { ok: false, reason: refused };
    const record = await this.deps.service.acceptNext(agent, by);
    return record ? { ok: true, record } : { ok: false, reason: 'nobody-waiting' };
  }

  async accept(agent: Agent, id: string): Promise<AcceptResult | { ok: false; reason: 'not-found' }> {
    const refused = await this.refusal(agent);
    if (refused) return { ok: false, reason: refused };
    const record = await this.deps.service.accept(agent, id);
    return record ? { ok: true, record } : { ok: false, reason: 'not-found' };
  }

  /** For agents with `autoAssign`: takes waiting handoffs until their capacity is reached. */
  async autoAssign(agent: Agent): Promise<HandoffRecord[]> {
    const taken: HandoffRecord[] = [];
    if (!agent.autoAssign) return taken;
    for (;;) {
      const result = await this.acceptNext(agent, 'auto');
      if (!result.ok) return taken;
      taken.push(result.record);
    }
  }

  async availability(agentId: string): Promise<AgentAvailability> {
    return this.deps.statuses.get(agentId);
  }

  async setAvailability(agentId: string, availability: AgentAvailability): Promise<void> {
    await this.deps.statuses.set(agentId, availability);
    await this.deps.service.bus.publish({ type: 'queue-changed' });
  }

  async state(agent: Agent, load?: number): Promise<AgentState> {
    if (!(await this.deps.service.queue.isOnline(agent.id))) return 'offline';
    if ((await this.deps.statuses.get(agent.id)) === 'away') return 'away';
    return (load ?? (await this.load(agent.id))) >= agent.capacity ? 'busy' : 'available';
  }

  /** What a supervisor sees: every agent's state and load, the queues, the live chats and the callbacks not done. */
  async floor(): Promise<Floor> {
    const { queue, callbacks } = this.deps.service;
    const agents: FloorAgent[] = [];
    for (const agent of this.deps.agents.list()) {
      const load = await this.load(agent.id);
      agents.push({ id: agent.id, name: agent.name, role: agent.role, skills: agent.skills, languages: agent.languages, capacity: agent.capacity, load, state: await this.state(agent, load) });
    }
    const now = this.now();
    const open = (await callbacks.list())
      .filter((c) => c.state !== 'done')
      .sort((a, b) => a.bookedAt - b.bookedAt)
      .map((c) => ({ ...c, due: isOpen(this.deps.service.skills.skills.get(c.skill)?.hours, now) }));
    return { agents, queues: (await queue.stats()).filter((q) => q.waiting > 0), chats: await this.summaries(await queue.assignedIds()), callbacks: open };
  }

  private async refusal(agent: Agent): Promise<'at-capacity' | 'not-available' | undefined> {
    if ((await this.deps.statuses.get(agent.id)) === 'away') return 'not-available';
    return (await this.load(agent.id)) >= agent.capacity ? 'at-capacity' : undefined;
  }

  private async summaries(ids: readonly string[]): Promise<ChatSummary[]> {
    const { queue } = this.deps.service;
    const list: ChatSummary[] = [];
    for (const id of ids) {
      const record = await queue.get(id);
      if (!record) continue;
      list.push(summarize(record, await queue.messages(id)));
    }
    return list;
  }
}

function mayTake(agent: Agent, record: HandoffRecord, now: number): boolean {
  const reserved = record.reservedFor !== undefined && (record.reservedUntil ?? 0) > now;
  if (reserved) return record.reservedFor === agent.id;
  return agent.skills.includes(record.skill) && agent.languages.includes(record.language);
}

function summarize(record: HandoffRecord, messages: readonly HandoffMessage[]): ChatSummary {
  const fromCustomer = messages.filter((m) => m.from === 'customer');
  const sentiments = [...record.payload.sentimentTrend, ...fromCustomer.flatMap((m) => (m.sentiment === undefined ? [] : [m.sentiment]))];
  const { customer } = record.payload;
  return {
    id: record.id,
    customer: customer.name ?? customer.id,
    channelId: record.payload.channelId,
    skill: record.skill,
    language: record.language,
    priority: record.priority,
    createdAt: record.createdAt,
    assignedAt: record.assignedAt,
    agentId: record.agentId,
    sentiment: sentiments.at(-1),
    lastMessage: fromCustomer.at(-1)?.text ?? record.payload.summary.lastMessage,
    customerMessages: fromCustomer.length,
  };
}
