import { randomUUID } from 'node:crypto';
import { EventFactory, TurnContext, type Activity, type StatePropertyAccessor } from 'botbuilder';
import { redact } from '../../analytics/redact.js';
import { getTurnLogger } from '../../bot/turn-state.js';
import type { UserProfile } from '../../bot/user-profile.js';
import type { Locale } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { CallbackStore } from '../callbacks/callback-store.js';
import { staged, type CustomerNotices } from '../customer-notices.js';
import type { AgentEventBus } from '../event-bus.js';
import { conversationKey } from '../handoff-keys.js';
import type { HandoffLifecycle } from '../handoff-lifecycle.js';
import type { HandoffQueue } from '../queue/handoff-queue.js';
import type { RoutingPolicy } from '../routing/routing-policy.js';
import { DEFAULT_SKILL, describeOpening, isOpen, localize, type Skill, type SkillCatalog, type SkillField } from '../skills.js';
import type { TranscriptStore } from '../transcript-store.js';
import type { HandoffPayload, HandoffReason, HandoffRecord } from '../types.js';
import { backToBot, replyLocale, type HandoffConversation } from './handoff-conversation.js';
import { buildHandoffPayload, summarize } from './handoff-payload.js';

export interface HandoffRequest {
  readonly reason: HandoffReason;
  /** The skill from the content's flags; otherwise the intent → skill mapping, then `general`. */
  readonly skill?: string | undefined;
  readonly intent?: string | undefined;
}

export type HandoffRequestResult =
  | { status: 'queued'; handoffId: string; position: number | undefined }
  | { status: 'prescreen' | 'closed' | 'already' | 'offered' };

export interface HandoffIntakeDeps {
  readonly state: StatePropertyAccessor<HandoffConversation>;
  readonly queue: HandoffQueue;
  readonly bus: AgentEventBus;
  readonly callbacks: CallbackStore;
  readonly transcripts: TranscriptStore;
  readonly profile: StatePropertyAccessor<UserProfile>;
  readonly skills: SkillCatalog;
  readonly routing: RoutingPolicy;
  readonly notices: CustomerNotices;
  readonly lifecycle: HandoffLifecycle;
  readonly logger: Logger;
  readonly defaultLocale: Locale;
  readonly now: () => number;
}

/**
 * How a conversation enters the queue: a request (closed hours → a callback offer; a skill with
 * pre-screening fields → the dialogs' pre-screening first), an offer the customer answers yes to,
 * the queueing itself, a booked callback, and a cancelled wait.
 */
export class HandoffIntake {
  constructor(private readonly deps: HandoffIntakeDeps) {}

  /** Starts a handoff (pre-screening first when the skill needs it). Called by the dialogs and the triggers. */
  async request(context: TurnContext, request: HandoffRequest): Promise<HandoffRequestResult> {
    const { notices, now } = this.deps;
    const state = await this.conversation(context);
    if (state.mode !== 'bot') return { status: 'already' };
    const skill = this.deps.routing.skillFor(request);
    const locale = this.locale(context);
    if (!isOpen(skill.hours, now())) {
      // A callback only nobody could take would be a false promise: offer it when an agent serves the skill in this language.
      const callable = notices.agentsFor(skill.id, locale).length > 0;
      if (callable) state.pendingOffer = { kind: 'callback', skill: skill.id, reason: request.reason, intent: request.intent };
      await context.sendActivity(notices.text(locale, callable ? 'closed' : 'closedNoCallback', { skill: localize(skill.name, locale, skill.id), when: describeOpening(skill.hours!, now(), locale) }));
      return { status: 'closed' };
    }
    state.skill = skill.id;
    state.reason = request.reason;
    state.intent = request.intent;
    if (skill.fields.length) {
      // The dialogs ask the skill's fields (dialogs/prescreen-dialog.ts), then call completePrescreen.
      state.mode = 'prescreen';
      state.handoffId = randomUUID();
      return { status: 'prescreen' };
    }
    return this.enqueue(context, state, skill);
  }

  /** What pre-screening asks in this conversation: the requested skill's fields. */
  prescreenQuestions(state: HandoffConversation): readonly SkillField[] {
    return this.prescreenSkill(state).fields;
  }

  /** Pre-screening answered: queues the handoff with the answers (redacted by the dialog). */
  async completePrescreen(context: TurnContext, answers: Readonly<Record<string, string>>): Promise<void> {
    const state = await this.conversation(context);
    if (state.mode !== 'prescreen') return;
    await this.enqueue(context, state, this.prescreenSkill(state), answers);
  }

  /** The customer stopped pre-screening: nothing was queued, the bot takes the conversation back. */
  async cancelPrescreen(context: TurnContext): Promise<void> {
    const state = await this.conversation(context);
    backToBot(state);
    await context.sendActivity(this.deps.notices.text(this.locale(context), 'cancelled'));
  }

  /** Asks whether the customer wants a person; a "yes" on the next turn starts the handoff. */
  async offer(context: TurnContext, request: HandoffRequest): Promise<HandoffRequestResult> {
    const state = await this.conversation(context);
    if (state.mode !== 'bot') return { status: 'already' };
    state.pendingOffer = { kind: 'handoff', skill: this.deps.routing.skillFor(request).id, reason: request.reason, intent: request.intent };
    await context.sendActivity(this.deps.notices.text(this.locale(context), 'offer'));
    return { status: 'offered' };
  }

  private async enqueue(context: TurnContext, state: HandoffConversation, skill: Skill, answers: Readonly<Record<string, string>> = {}): Promise<HandoffRequestResult> {
    const { queue, bus, routing, notices, lifecycle, now } = this.deps;
    const locale = this.locale(context);
    const payload = await buildHandoffPayload(context, this.deps, state, skill.id, locale, answers);
    // botbuilder's handoff convention: a handoff.initiate event carrying the context and transcript.
    const initiate = EventFactory.createHandoffInitiation(context, payload, {
      activities: payload.transcript.map((entry) => ({ type: 'message', text: entry.text, timestamp: entry.at, from: { id: entry.from, name: entry.from } }) as unknown as Activity),
    });
    getTurnLogger(context, this.deps.logger).info({ event: initiate.name, skill: skill.id, reason: payload.reason }, 'handoff initiated');

    const record = await queue.enqueue({
      id: state.handoffId ?? randomUUID(),
      skill: skill.id,
      language: locale,
      priority: routing.priority(payload),
      payload: initiate.value as HandoffPayload,
      ...(await routing.reservation(payload, skill.id, locale)),
    });
    lifecycle.emit({ type: 'queued', record, at: now() });
    state.mode = 'queued';
    state.handoffId = record.id;
    await bus.publish({ type: 'queue-changed' });
    const position = await queue.position(record.id);
    const minutes = await notices.estimateMinutes(record, position ?? 1);
    await context.sendActivities([staged(notices.text(locale, 'connecting'), 'waiting'), staged(notices.text(locale, 'queued', { position: position ?? 1, minutes }), 'waiting')]);
    return { status: 'queued', handoffId: record.id, position };
  }

  async bookCallback(context: TurnContext, state: HandoffConversation, offer: NonNullable<HandoffConversation['pendingOffer']>): Promise<void> {
    const { activity } = context;
    const locale = this.locale(context);
    const transcript = await this.deps.transcripts.recent(conversationKey(activity));
    const summary = summarize(transcript, { ...state, intent: offer.intent }, activity.text ?? '');
    const callback = await this.deps.callbacks.book({
      id: randomUUID(),
      skill: offer.skill,
      locale,
      channelId: activity.channelId,
      reference: TurnContext.getConversationReference(activity),
      customer: { id: activity.from?.id ?? '', name: activity.from?.name },
      reason: offer.reason,
      intent: offer.intent,
      summary: { wants: redact(summary.wants), lastMessage: redact(summary.lastMessage) },
    });
    this.deps.lifecycle.emit({ type: 'callback-booked', callback, at: this.deps.now() });
    await this.deps.bus.publish({ type: 'queue-changed' });
    await context.sendActivity(this.deps.notices.text(locale, 'callbackBooked', { skill: localize(this.deps.skills.skills.get(offer.skill)?.name ?? offer.skill, locale, offer.skill) }));
  }

  /** Ends a wait or a chat the customer walked away from. */
  async cancel(record: HandoffRecord): Promise<void> {
    const before = await this.deps.queue.cancel(record.id);
    this.deps.lifecycle.emit({ type: 'cancelled', record: before ?? record, at: this.deps.now() });
    await this.deps.bus.publish({ type: 'cancelled', handoffId: record.id, agentId: before?.agentId });
    await this.deps.bus.publish({ type: 'queue-changed' });
  }

  /** The skill asked for (the catalog may have dropped it in a reload: then the default). */
  private prescreenSkill(state: HandoffConversation): Skill {
    return this.deps.skills.skills.get(state.skill ?? DEFAULT_SKILL) ?? this.deps.routing.skillFor({});
  }

  private async conversation(context: TurnContext): Promise<HandoffConversation> {
    return this.deps.state.get(context, { mode: 'bot' });
  }

  private locale(context: TurnContext): Locale {
    return replyLocale(context, this.deps.defaultLocale);
  }
}
