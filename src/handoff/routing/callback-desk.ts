import { randomUUID } from 'node:crypto';
import type { Agent } from '../../agent/agent-directory.js';
import type { CallbackActionResult, CallbackRecord, CallbackStore } from '../callbacks/callback-store.js';
import type { AgentEventBus } from '../event-bus.js';
import type { HandoffLifecycle } from '../handoff-lifecycle.js';
import type { OutboundDelivery } from '../../channels/outbound/outbound-delivery.js';
import type { ResolveOutcome } from '../queue/handoff-queue.js';

export interface CallbackDeskDeps {
  readonly callbacks: CallbackStore;
  readonly outbound: OutboundDelivery;
  readonly bus: AgentEventBus;
  readonly lifecycle: HandoffLifecycle;
  readonly now: () => number;
}

/** What agents do with callbacks booked outside working hours: list, claim, write, mark done. */
export class CallbackDesk {
  constructor(private readonly deps: CallbackDeskDeps) {}

  /** Callbacks `agent` may take (open, of their skills and languages) and the ones they claimed and have not done. */
  async callbacksFor(agent: Agent): Promise<CallbackRecord[]> {
    const all = await this.deps.callbacks.list();
    return all.filter((c) => (c.state === 'open' && agent.skills.includes(c.skill) && agent.languages.includes(c.locale)) || (c.state === 'claimed' && c.agentId === agent.id));
  }

  async claimCallback(agent: Agent, id: string): Promise<CallbackActionResult> {
    const result = await this.deps.callbacks.claim(id, agent.id);
    if (!result.ok) return result;
    this.deps.lifecycle.emit({ type: 'callback-claimed', callback: result.record, at: this.deps.now() });
    await this.deps.bus.publish({ type: 'queue-changed' });
    return result;
  }

  async completeCallback(agent: Agent, id: string, outcome: ResolveOutcome): Promise<CallbackActionResult> {
    const result = await this.deps.callbacks.complete(id, agent.id, outcome);
    if (!result.ok) return result;
    this.deps.lifecycle.emit({ type: 'callback-done', callback: result.record, at: this.deps.now() });
    await this.deps.bus.publish({ type: 'queue-changed' });
    return result;
  }

  /** The claiming agent contacts the customer on their own channel (the conversation the callback was booked in). */
  async sendCallbackMessage(agent: Agent, id: string, text: string): Promise<{ ok: true; messageId: string } | { ok: false; reason: 'not-found' | 'not-yours' | 'not-claimed' }> {
    const callback = await this.deps.callbacks.get(id);
    if (!callback) return { ok: false, reason: 'not-found' };
    if (callback.state !== 'claimed') return { ok: false, reason: 'not-claimed' };
    if (callback.agentId !== agent.id) return { ok: false, reason: 'not-yours' };
    const messageId = randomUUID();
    await this.deps.outbound.enqueue({
      id: `callback-${messageId}`,
      reference: callback.reference,
      activities: [{ type: 'message', text, locale: callback.locale }],
      origin: { kind: 'callback', agentId: agent.id },
    });
    return { ok: true, messageId };
  }
}
