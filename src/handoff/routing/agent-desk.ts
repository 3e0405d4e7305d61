import { randomUUID } from 'node:crypto';
import type { Agent } from '../../agent/agent-directory.js';
import { redact } from '../../analytics/redact.js';
import { staged, type CustomerNotices } from '../customer-notices.js';
import type { AgentEventBus } from '../event-bus.js';
import { customerKey } from '../handoff-keys.js';
import type { HandoffLifecycle } from '../handoff-lifecycle.js';
import type { OutboundDelivery } from '../../channels/outbound/outbound-delivery.js';
import type { HandoffActionResult, HandoffQueue, ResolveOutcome } from '../queue/handoff-queue.js';
import { localize, type SkillCatalog } from '../skills.js';
import type { HandoffRecord } from '../types.js';

export interface AgentDeskDeps {
  readonly queue: HandoffQueue;
  readonly outbound: OutboundDelivery;
  readonly bus: AgentEventBus;
  readonly skills: SkillCatalog;
  readonly notices: CustomerNotices;
  readonly lifecycle: HandoffLifecycle;
  readonly now: () => number;
}

export type AgentMessageResult = { ok: true; messageId: string } | { ok: false; reason: string };

/**
 * What agents and supervisors do with a handoff: accept it (the next one or a previewed one),
 * write to the customer, transfer it to another skill, resolve it, and a supervisor's reassign.
 * The queue decides who may; the desk tells the customer, the consoles and analytics.
 */
export class AgentDesk {
  constructor(private readonly deps: AgentDeskDeps) {}

  async acceptNext(agent: Agent, by: 'agent' | 'auto' = 'agent'): Promise<HandoffRecord | undefined> {
    return this.accepted(agent, await this.deps.queue.claimNext(agent), by);
  }

  /** Accepts the waiting handoff the agent previewed, when they may take it. */
  async accept(agent: Agent, id: string): Promise<HandoffRecord | undefined> {
    return this.accepted(agent, await this.deps.queue.claim(id, agent), 'agent');
  }

  /** A supervisor moves a live chat to another agent; the customer hears who took over. */
  async reassign(id: string, to: Agent): Promise<HandoffActionResult> {
    const { queue, bus, notices } = this.deps;
    const before = await queue.get(id);
    const result = await queue.reassign(id, to.id);
    if (!result.ok) return result;
    if (before?.agentId && before.agentId !== to.id) await bus.publish({ type: 'unassigned', handoffId: id, agentId: before.agentId });
    await bus.publish({ type: 'assigned', handoffId: id, agentId: to.id, by: 'supervisor' });
    await notices.tell(result.record, 'accepted', { agent: to.name }, `accepted-${id}-${result.record.assignedAt ?? 0}`);
    return result;
  }

  async sendAgentMessage(agent: Agent, id: string, text: string): Promise<AgentMessageResult> {
    const { queue, outbound } = this.deps;
    const record = await queue.get(id);
    if (!record) return { ok: false, reason: 'not-found' };
    if (record.state !== 'assigned') return { ok: false, reason: 'not-assigned' };
    if (record.agentId !== agent.id) return { ok: false, reason: 'not-yours' };
    const messageId = randomUUID();
    // The console shows the stored copy (redacted); only the outbound job carries the text as typed, until it is delivered.
    await queue.appendMessage(id, { id: messageId, from: 'agent', text: redact(text), at: new Date(this.deps.now()).toISOString(), delivery: 'pending' });
    await outbound.enqueue({
      id: `agent-${messageId}`,
      reference: record.payload.reference,
      activities: [{ ...staged(text, 'agent', { from: 'agent' }), locale: record.language }],
      origin: { kind: 'agent', handoffId: id, messageId, agentId: agent.id },
    });
    return { ok: true, messageId };
  }

  async transfer(agent: Agent, id: string, skill: string): Promise<HandoffActionResult | { ok: false; reason: 'unknown-skill' }> {
    const target = this.deps.skills.skills.get(skill);
    if (!target) return { ok: false, reason: 'unknown-skill' };
    const result = await this.deps.queue.transfer(id, agent.id, skill);
    if (!result.ok) return result;
    await this.deps.bus.publish({ type: 'queue-changed' });
    const locale = result.record.language;
    await this.deps.notices.tell(result.record, 'transferred', { skill: localize(target.name, locale, skill) }, `transfer-${id}-${randomUUID()}`);
    await this.deps.notices.tellPosition(result.record, 'queued');
    return result;
  }

  async resolve(agent: Agent, id: string, outcome: ResolveOutcome): Promise<HandoffActionResult> {
    const { queue, lifecycle, notices, now } = this.deps;
    const result = await queue.resolve(id, agent.id, outcome);
    if (!result.ok) return result;
    const { record } = result;
    lifecycle.emit({ type: 'resolved', record, at: now() });
    if (record.assignedAt) await queue.recordHandleTime(record.skill, now() - record.assignedAt);
    // The customer's next handoff is offered to this agent first (affinity).
    await queue.setLastAgent(customerKey(record.payload), agent.id);
    await notices.tell(record, 'resolved', { agent: agent.name }, `resolved-${id}`);
    return result;
  }

  async heartbeat(agentId: string): Promise<void> {
    await this.deps.queue.heartbeat(agentId);
  }

  private async accepted(agent: Agent, record: HandoffRecord | undefined, by: 'agent' | 'auto'): Promise<HandoffRecord | undefined> {
    if (!record) return undefined;
    this.deps.lifecycle.emit({ type: 'accepted', record, at: this.deps.now() });
    await this.deps.bus.publish({ type: 'assigned', handoffId: record.id, agentId: agent.id, by });
    await this.deps.bus.publish({ type: 'queue-changed' });
    await this.deps.notices.tell(record, 'accepted', { agent: agent.name }, `accepted-${record.id}-${record.assignedAt ?? 0}`);
    return record;
  }
}
