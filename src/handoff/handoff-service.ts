import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  EventFactory,
  TurnContext,
  type Activity,
  type ConversationState,
  type Middleware,
  type StatePropertyAccessor,
} from 'botbuilder';
import type { Agent, AgentDirectory } from '../agent/agent-directory.js';
import { redact } from '../analytics/redact.js';
import type { Locale } from '../config.js';
import type { HandoffSettings } from '../config/handoff.js';
import { getReplyLocale, getTurnLogger } from '../bot/turn-state.js';
import { getTurnContent } from '../bot/turn-content.js';
import { getTurnUnderstanding } from '../bot/turn-understanding.js';
import type { UserProfile } from '../bot/user-profile.js';
import type { I18n } from '../i18n/create-i18n.js';
import type { Logger } from '../logger.js';
import type { CallbackActionResult, CallbackRecord, CallbackStore } from './callbacks/callback-store.js';
import { asksForHuman, isCancel, isNo, isSkip, isYes, parseScore } from './conversation-text.js';
import type { CsatEntry, CsatStore } from './csat-store.js';
import type { AgentEventBus } from './event-bus.js';
import type { OutboundDelivery } from './outbound/outbound-delivery.js';
import type { HandoffActionResult, HandoffQueue, ResolveOutcome } from './queue/handoff-queue.js';
import { DEFAULT_SKILL, describeOpening, isOpen, localize, type Skill, type SkillCatalog } from './skills.js';
import type { TranscriptStore } from './transcript-store.js';
import type { ConversationMode, HandoffPayload, HandoffReason, HandoffRecord, TranscriptEntry } from './types.js';
import type { DeliveryReceipt } from '../channels/delivery-receipts.js';
import { CustomerNotices, staged } from './customer-notices.js';
import { conversationKey } from './handoff-keys.js';
import { HandoffLifecycle, type HandoffLifecycleEvent } from './handoff-lifecycle.js';
import { HandoffScheduler } from './scheduler/handoff-scheduler.js';
import { AgentDesk, type AgentMessageResult } from './routing/agent-desk.js';
import { AgentMessageDelivery } from './routing/agent-message-delivery.js';
import { CallbackDesk } from './routing/callback-desk.js';
import { RoutingPolicy } from './routing/routing-policy.js';

export { conversationKey, conversationKeyOf, customerKey } from './handoff-keys.js';
export type { HandoffLifecycleEvent } from './handoff-lifecycle.js';
export type { HandoffStage } from './customer-notices.js';

/** The handoff's memory of one conversation (a ConversationState property). */
export interface HandoffConversation {
  mode: ConversationMode;
  handoffId?: string | undefined;
  skill?: string | undefined;
  reason?: HandoffReason | undefined;
  intent?: string | undefined;
  prescreen?: { index: number; slots: Record<string, string> } | undefined;
  pendingOffer?: { kind: 'handoff' | 'callback'; skill: string; reason: HandoffReason; intent?: string | undefined } | undefined;
  survey?: { handoffId: string; agentId?: string | undefined; skill: string; score?: number | undefined } | undefined;
  negativeStreak?: number;
  intentsSeen?: string[];
  sentiments?: number[];
}

export interface HandoffRequest {
  readonly reason: HandoffReason;
  /** The skill from the content's flags; otherwise the intent → skill mapping, then `general`. */
  readonly skill?: string | undefined;
  readonly intent?: string | undefined;
}

export type HandoffRequestResult =
  | { status: 'queued'; handoffId: string; position: number | undefined }
  | { status: 'prescreen' | 'closed' | 'already' | 'offered' };

export interface HandoffServiceDeps {
  readonly queue: HandoffQueue;
  readonly outbound: OutboundDelivery;
  readonly bus: AgentEventBus;
  readonly transcripts: TranscriptStore;
  readonly csat: CsatStore;
  /** Callbacks booked outside working hours, listed for agents. */
  readonly callbacks: CallbackStore;
  readonly skills: SkillCatalog;
  readonly agents: AgentDirectory;
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly settings: HandoffSettings;
  readonly conversationState: ConversationState;
  readonly profile: StatePropertyAccessor<UserProfile>;
  readonly defaultLocale: Locale;
  readonly now?: () => number;
  /** True the first time a key is seen within `ms` (across processes with Redis). */
  readonly throttle?: (key: string, ms: number) => Promise<boolean>;
}

/** The core pack's "never mind" intent. */
const CANCEL_INTENT = 'core.cancel';
const KEPT_SIGNALS = 10;

/**
 * Hands conversations to human agents and back. The dialogs call `request` (fallbacks, intents
 * flagged `handoff: true`, accepted offers) and `offer`; the middleware (`middleware`) raises
 * explicit requests and negative sentiment itself, and holds the conversation while it is
 * queued, with an agent, or answering the CSAT survey.
 */
export class HandoffService {
  readonly state: StatePropertyAccessor<HandoffConversation>;
  readonly middleware: Middleware;
  private readonly now: () => number;
  private readonly notices: CustomerNotices;
  private readonly lifecycle: HandoffLifecycle;
  private readonly scheduler: HandoffScheduler;
  private readonly routing: RoutingPolicy;
  private readonly desk: AgentDesk;
  private readonly callbackDesk: CallbackDesk;
  private readonly delivery: AgentMessageDelivery;

  constructor(private readonly deps: HandoffServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.notices = new CustomerNotices(deps);
    this.lifecycle = new HandoffLifecycle(deps.logger);
    this.scheduler = new HandoffScheduler({ ...deps, notices: this.notices, now: this.now });
    this.state = deps.conversationState.createProperty<HandoffConversation>('handoff');
    this.middleware = { onTurn: (context, next) => this.onTurn(context, next) };
    this.routing = new RoutingPolicy({ ...deps, now: this.now });
    this.desk = new AgentDesk({ ...deps, notices: this.notices, lifecycle: this.lifecycle, now: this.now });
    this.callbackDesk = new CallbackDesk({ ...deps, lifecycle: this.lifecycle, now: this.now });
    this.delivery = new AgentMessageDelivery(deps.queue, deps.bus, deps.outbound);
  }

  get queue(): HandoffQueue {
    return this.deps.queue;
  }

  get bus(): AgentEventBus {
    return this.deps.bus;
  }

  get skills(): SkillCatalog {
    return this.deps.skills;
  }

  get callbacks(): CallbackStore {
    return this.deps.callbacks;
  }

  /** The mode of the conversation in `context`. */
  async mode(context: TurnContext): Promise<ConversationMode> {
    return (await this.conversation(context)).mode;
  }

  /** Starts a handoff (pre-screening first when the skill needs it). Called by the dialogs and the triggers. */
  async request(context: TurnContext, request: HandoffRequest): Promise<HandoffRequestResult> {
    const state = await this.conversation(context);
    if (state.mode !== 'bot') return { status: 'already' };
    const skill = this.skillFor(request);
    const locale = this.locale(context);
    if (!isOpen(skill.hours, this.now())) {
      // A callback only nobody could take would be a false promise: offer it when an agent serves the skill in this language.
      const callable = this.agentsFor(skill.id, locale).length > 0;
      if (callable) state.pendingOffer = { kind: 'callback', skill: skill.id, reason: request.reason, intent: request.intent };
      await context.sendActivity(this.t(locale, callable ? 'closed' : 'closedNoCallback', { skill: localize(skill.name, locale, skill.id), when: describeOpening(skill.hours!, this.now(), locale) }));
      return { status: 'closed' };
    }
    state.skill = skill.id;
    state.reason = request.reason;
    state.intent = request.intent;
    if (skill.fields.length) {
      state.mode = 'prescreen';
      state.prescreen = { index: 0, slots: {} };
      await context.sendActivity(localize(skill.fields[0]!.prompt, locale));
      return { status: 'prescreen' };
    }
    return this.enqueue(context, state, skill);
  }

  /** Asks whether the customer wants a person; a "yes" on the next turn starts the handoff. */
  async offer(context: TurnContext, request: HandoffRequest): Promise<HandoffRequestResult> {
    const state = await this.conversation(context);
    if (state.mode !== 'bot') return { status: 'already' };
    state.pendingOffer = { kind: 'handoff', skill: this.skillFor(request).id, reason: request.reason, intent: request.intent };
    await context.sendActivity(this.t(this.locale(context), 'offer'));
    return { status: 'offered' };
  }

  // ---- agent side -------------------------------------------------------------------------

  /** Hears every handoff queued, accepted, resolved or cancelled and every CSAT answer; returns the unsubscribe. */
  onLifecycle(listener: (event: HandoffLifecycleEvent) => void): () => void {
    return this.lifecycle.on(listener);
  }

  acceptNext(agent: Agent, by: 'agent' | 'auto' = 'agent'): Promise<HandoffRecord | undefined> {
    return this.desk.acceptNext(agent, by);
  }

  /** Accepts the waiting handoff the agent previewed, when they may take it. */
  accept(agent: Agent, id: string): Promise<HandoffRecord | undefined> {
    return this.desk.accept(agent, id);
  }

  /** A supervisor moves a live chat to another agent; the customer hears who took over. */
  reassign(id: string, to: Agent): Promise<HandoffActionResult> {
    return this.desk.reassign(id, to);
  }

  sendAgentMessage(agent: Agent, id: string, text: string): Promise<AgentMessageResult> {
    return this.desk.sendAgentMessage(agent, id, text);
  }

  transfer(agent: Agent, id: string, skill: string): Promise<HandoffActionResult | { ok: false; reason: 'unknown-skill' }> {
    return this.desk.transfer(agent, id, skill);
  }

  resolve(agent: Agent, id: string, outcome: ResolveOutcome): Promise<HandoffActionResult> {
    return this.desk.resolve(agent, id, outcome);
  }

  heartbeat(agentId: string): Promise<void> {
    return this.desk.heartbeat(agentId);
  }

  /** Callbacks `agent` may take and the ones they claimed and have not done. */
  callbacksFor(agent: Agent): Promise<CallbackRecord[]> {
    return this.callbackDesk.callbacksFor(agent);
  }

  claimCallback(agent: Agent, id: string): Promise<CallbackActionResult> {
    return this.callbackDesk.claimCallback(agent, id);
  }

  completeCallback(agent: Agent, id: string, outcome: ResolveOutcome): Promise<CallbackActionResult> {
    return this.callbackDesk.completeCallback(agent, id, outcome);
  }

  sendCallbackMessage(agent: Agent, id: string, text: string): ReturnType<CallbackDesk['sendCallbackMessage']> {
    return this.callbackDesk.sendCallbackMessage(agent, id, text);
  }

  /** A channel's later word on an agent message (WhatsApp: sent, delivered, read, failed). */
  recordReceipt(receipt: DeliveryReceipt): Promise<void> {
    return this.delivery.recordReceipt(receipt);
  }

  /** Agents configured for a skill and language. */
  agentsFor(skill: string, language: Locale): Agent[] {
    return this.notices.agentsFor(skill, language);
  }

  /** Starts the lease reaper and the waiting-position notices. */
  start(): void {
    this.scheduler.start();
  }

  async close(): Promise<void> {
    this.scheduler.close();
  }

  async reapExpired(): Promise<string[]> {
    return this.scheduler.reapExpired();
  }

  async notifyPositions(): Promise<void> {
    return this.scheduler.notifyPositions();
  }

  // ---- the conversation side --------------------------------------------------------------

  private async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.type === ActivityTypes.EndOfConversation) {
      await this.customerLeft(context);
      return next();
    }
    if (context.activity.type !== 'message') return next();
    const state = await this.conversation(context);
    const text = (context.activity.text ?? '').trim();
    const understanding = getTurnUnderstanding(context);
    // Kept for a later handoff's context: agents get redacted text, so raw personal data never reaches Redis.
    await this.deps.transcripts.append(conversationKey(context.activity), {
      from: 'customer',
      text: redact(text),
      at: new Date(this.now()).toISOString(),
      intent: understanding?.intent,
      sentiment: understanding?.sentiment.score,
    });
    if (understanding?.intent) state.intentsSeen = [...(state.intentsSeen ?? []), understanding.intent].slice(-KEPT_SIGNALS);
    if (understanding) state.sentiments = [...(state.sentiments ?? []), understanding.sentiment.score].slice(-KEPT_SIGNALS);
    const key = conversationKey(context.activity);
    context.onSendActivities(async (_ctx, activities, sendNext) => {
      for (const sent of activities) {
        // Stored for the agent's view: the bot's words are redacted like the customer's are in analytics.
        if (sent.type === 'message' && sent.text) await this.deps.transcripts.append(key, { from: 'bot', text: redact(sent.text), at: new Date(this.now()).toISOString() });
      }
      return sendNext();
    });

    const handled = await this.handleByMode(context, state, text);
    if (handled) {
      await this.deps.conversationState.saveChanges(context);
      return;
    }
    await next();
  }

  /** True when the handoff took the turn; false lets the dialogs answer. */
  private async handleByMode(context: TurnContext, state: HandoffConversation, text: string): Promise<boolean> {
    const locale = this.locale(context);
    if (state.mode === 'queued' || state.mode === 'agent') {
      const record = state.handoffId ? await this.deps.queue.get(state.handoffId) : undefined;
      if (record?.state === 'resolved') {
        state.mode = 'survey';
        state.survey = { handoffId: record.id, agentId: record.outcome?.by, skill: record.skill };
        return this.handleSurvey(context, state, text);
      }
      if (!record || record.state === 'cancelled') {
        this.backToBot(state);
        return false;
      }
      if (this.wantsToStop(context, text)) {
        await this.cancel(record);
        this.backToBot(state);
        await context.sendActivity(staged(this.t(locale, 'cancelled'), 'none'));
        return true;
      }
      const understanding = getTurnUnderstanding(context);
      const message = {
        id: randomUUID(),
        from: 'customer' as const,
        text: redact(text),
        at: new Date(this.now()).toISOString(),
        intent: understanding?.intent,
        sentiment: understanding?.sentiment.score,
      };
      await this.deps.queue.appendMessage(record.id, message);
      await this.deps.bus.publish({ type: 'customer-message', handoffId: record.id, agentId: record.agentId, message });
      state.mode = record.state === 'assigned' ? 'agent' : 'queued';
      return true;
    }
    if (state.mode === 'prescreen') return this.handlePrescreen(context, state, text);
    if (state.mode === 'survey') return this.handleSurvey(context, state, text);

    if (state.pendingOffer) {
      const offer = state.pendingOffer;
      state.pendingOffer = undefined;
      if (isYes(text)) {
        if (offer.kind === 'handoff') {
          await this.request(context, { reason: offer.reason === 'offer' ? 'offer' : offer.reason, skill: offer.skill, intent: offer.intent });
        } else {
          await this.bookCallback(context, state, offer);
        }
        return true;
      }
      if (isNo(text)) {
        await context.sendActivity(this.t(locale, 'declined'));
        return true;
      }
    }
    return this.checkTriggers(context, state, text);
  }

  private async cancel(record: HandoffRecord): Promise<void> {
    const before = await this.deps.queue.cancel(record.id);
    this.emitLifecycle({ type: 'cancelled', record: before ?? record, at: this.now() });
    await this.deps.bus.publish({ type: 'cancelled', handoffId: record.id, agentId: before?.agentId });
    await this.deps.bus.publish({ type: 'queue-changed' });
  }

  /**
   * The customer left (endOfConversation: a kiosk's idle reset or "start over", a Direct Line
   * client gone too long): a wait for a person ends (abandoned, as analytics counts a handoff
   * cancelled before anyone accepted it); an agent already holding the conversation is told, so
   * they resolve it instead of talking to nobody.
   */
  private async customerLeft(context: TurnContext): Promise<void> {
    const state = await this.conversation(context);
    if (state.mode === 'bot') return;
    const record = state.handoffId ? await this.deps.queue.get(state.handoffId) : undefined;
    if (record?.state === 'assigned') {
      const message = { id: randomUUID(), from: 'system' as const, text: 'The visitor left (the kiosk was reset or the chat was closed).', at: new Date(this.now()).toISOString(), event: 'customer-left' as const };
      await this.deps.queue.appendMessage(record.id, message);
      await this.deps.bus.publish({ type: 'customer-message', handoffId: record.id, agentId: record.agentId, message });
    } else {
      if (record?.state === 'waiting') await this.cancel(record);
      this.backToBot(state);
    }
    await this.deps.conversationState.saveChanges(context);
  }

  /** "cancel", or the same in the customer's own words ("唔等喇，我自己搞掂": the NLU's `core.cancel`). */
  private wantsToStop(context: TurnContext, text: string): boolean {
    if (isCancel(text)) return true;
    const understanding = getTurnUnderstanding(context);
    return understanding?.intent === CANCEL_INTENT && !understanding.outOfScope && !understanding.ambiguous;
  }

  private async checkTriggers(context: TurnContext, state: HandoffConversation, text: string): Promise<boolean> {
    const understanding = getTurnUnderstanding(context);
    if (understanding?.intent === 'core.human' || (!understanding?.intent && asksForHuman(text))) {
      // The topic talked about before asking routes the request (a lost card goes to the cards skill).
      const topic = (state.intentsSeen ?? []).filter((intent) => !intent.startsWith('core.')).at(-1);
      await this.request(context, { reason: 'explicit', intent: topic });
      return true;
    }
    const sentiment = understanding?.sentiment;
    if (!sentiment) return false;
    // An angry complaint about a topic that goes to a person anyway (a grievance, an insurance
    // complaint) is answered by the dialogs first and routed to that topic's own skill.
    const topic = understanding.intent && !understanding.outOfScope ? getTurnContent(context)?.knowledge.intent(understanding.intent) : undefined;
    if (topic?.handoff) return false;
    const { negativeTurns, strongNegativeScore } = this.deps.settings;
    if (sentiment.label === 'negative') state.negativeStreak = (state.negativeStreak ?? 0) + 1;
    else state.negativeStreak = 0;
    const strong = sentiment.angry || sentiment.score <= strongNegativeScore;
    if (strong || (negativeTurns > 0 && (state.negativeStreak ?? 0) >= negativeTurns)) {
      state.negativeStreak = 0;
      await this.request(context, { reason: 'sentiment', intent: understanding.intent ?? undefined });
      return true;
    }
    return false;
  }

  private async handlePrescreen(context: TurnContext, state: HandoffConversation, text: string): Promise<boolean> {
    const locale = this.locale(context);
    if (this.wantsToStop(context, text)) {
      this.backToBot(state);
      await context.sendActivity(this.t(locale, 'cancelled'));
      return true;
    }
    const skill = this.deps.skills.skills.get(state.skill ?? DEFAULT_SKILL) ?? this.skillFor({ reason: 'explicit' });
    const prescreen = (state.prescreen ??= { index: 0, slots: {} });
    const field = skill.fields[prescreen.index];
    if (field) {
      if (field.pattern && !new RegExp(field.pattern, 'u').test(text)) {
        await context.sendActivity(`${localize(field.invalid, locale, this.t(locale, 'prescreenInvalid'))} ${localize(field.prompt, locale)}`);
        return true;
      }
      prescreen.slots[field.id] = redact(text);
      prescreen.index += 1;
      const following = skill.fields[prescreen.index];
      if (following) {
        await context.sendActivity(localize(following.prompt, locale));
        return true;
      }
    }
    await this.enqueue(context, state, skill);
    return true;
  }

  private async handleSurvey(context: TurnContext, state: HandoffConversation, text: string): Promise<boolean> {
    const locale = this.locale(context);
    const survey = state.survey;
    if (!survey) {
      this.backToBot(state);
      return false;
    }
    if (survey.score === undefined) {
      const score = parseScore(text);
      if (score === undefined) {
        if (this.wantsToStop(context, text)) {
          this.backToBot(state);
          await context.sendActivity(staged(this.t(locale, 'declined'), 'none'));
        } else {
          await context.sendActivity(this.t(locale, 'surveyInvalid'));
        }
        return true;
      }
      survey.score = score;
      await context.sendActivity(this.t(locale, 'surveyComment'));
      return true;
    }
    const entry: CsatEntry = {
      handoffId: survey.handoffId,
      agentId: survey.agentId,
      skill: survey.skill,
      channelId: context.activity.channelId,
      customerId: context.activity.from?.id ?? '',
      score: survey.score,
      comment: isSkip(text) ? undefined : redact(text),
      at: new Date(this.now()).toISOString(),
    };
    await this.deps.csat.record(entry);
    this.emitLifecycle({ type: 'csat', entry, at: this.now() });
    this.backToBot(state);
    await context.sendActivity(staged(this.t(locale, 'surveyThanks'), 'none'));
    return true;
  }

  private async enqueue(context: TurnContext, state: HandoffConversation, skill: Skill): Promise<HandoffRequestResult> {
    const locale = this.locale(context);
    const payload = await this.buildPayload(context, state, skill.id, locale);
    // botbuilder's handoff convention: a handoff.initiate event carrying the context and transcript.
    const initiate = EventFactory.createHandoffInitiation(context, payload, {
      activities: payload.transcript.map((entry) => ({ type: 'message', text: entry.text, timestamp: entry.at, from: { id: entry.from, name: entry.from } }) as unknown as Activity),
    });
    getTurnLogger(context, this.deps.logger).info({ event: initiate.name, skill: skill.id, reason: payload.reason }, 'handoff initiated');

    const record = await this.deps.queue.enqueue({
      id: randomUUID(),
      skill: skill.id,
      language: locale,
      priority: this.routing.priority(payload),
      payload: initiate.value as HandoffPayload,
      ...(await this.routing.reservation(payload, skill.id, locale)),
    });
    this.emitLifecycle({ type: 'queued', record, at: this.now() });
    state.mode = 'queued';
    state.handoffId = record.id;
    state.prescreen = undefined;
    await this.deps.bus.publish({ type: 'queue-changed' });
    const position = await this.deps.queue.position(record.id);
    const minutes = await this.estimateMinutes(record, position ?? 1);
    await context.sendActivities([staged(this.t(locale, 'connecting'), 'waiting'), staged(this.t(locale, 'queued', { position: position ?? 1, minutes }), 'waiting')]);
    return { status: 'queued', handoffId: record.id, position };
  }

  private async buildPayload(context: TurnContext, state: HandoffConversation, skill: string, locale: Locale): Promise<HandoffPayload> {
    const { activity } = context;
    const profile = (await this.deps.profile.get(context, {})) as UserProfile & Record<string, unknown>;
    const transcript = await this.deps.transcripts.recent(conversationKey(activity));
    const understanding = getTurnUnderstanding(context);
    const { wants, lastMessage } = this.summarize(transcript, state, redact(activity.text ?? ''));
    const asRecord = (value: unknown) => (value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)])) : undefined);
    return {
      reference: TurnContext.getConversationReference(activity),
      channelId: activity.channelId,
      customer: {
        id: activity.from?.id ?? '',
        name: activity.from?.name,
        locale,
        identity: asRecord(profile.identity),
        location: asRecord(profile.location),
        segment: typeof profile.segment === 'string' ? profile.segment : (asRecord(profile.identity)?.segment ?? undefined),
      },
      reason: state.reason ?? 'explicit',
      skill,
      intent: state.intent,
      intentsSeen: [...new Set(state.intentsSeen ?? [])],
      sentimentTrend: state.sentiments ?? [],
      slots: { ...(state.prescreen?.slots ?? {}) },
      summary: {
        wants,
        entities: (understanding?.entities ?? []).map((e) => `${e.type}: ${redact(e.text)}`),
        lastMessage,
      },
      transcript,
    };
  }

  private async bookCallback(context: TurnContext, state: HandoffConversation, offer: NonNullable<HandoffConversation['pendingOffer']>): Promise<void> {
    const { activity } = context;
    const locale = this.locale(context);
    const transcript = await this.deps.transcripts.recent(conversationKey(activity));
    const summary = this.summarize(transcript, { ...state, intent: offer.intent }, activity.text ?? '');
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
    this.emitLifecycle({ type: 'callback-booked', callback, at: this.now() });
    await this.deps.bus.publish({ type: 'queue-changed' });
    await context.sendActivity(this.t(locale, 'callbackBooked', { skill: localize(this.deps.skills.skills.get(offer.skill)?.name ?? offer.skill, locale, offer.skill) }));
  }

  /** What the customer wants and said last, from the transcript and the intents seen. */
  private summarize(transcript: readonly TranscriptEntry[], state: HandoffConversation, fallbackText: string): { wants: string; lastMessage: string } {
    const lastCustomer = [...transcript].reverse().find((entry) => entry.from === 'customer');
    const firstWords = transcript.filter((e) => e.from === 'customer').map((e) => e.text);
    const wants = state.intent ?? state.intentsSeen?.filter((i) => i !== 'core.human').at(-1) ?? firstWords.find((t) => !asksForHuman(t)) ?? lastCustomer?.text ?? '';
    return { wants, lastMessage: lastCustomer?.text ?? fallbackText };
  }

  private skillFor(request: HandoffRequest): Skill {
    return this.routing.skillFor(request);
  }

  private backToBot(state: HandoffConversation): void {
    state.mode = 'bot';
    state.handoffId = undefined;
    state.prescreen = undefined;
    state.survey = undefined;
    state.pendingOffer = undefined;
  }

  private async conversation(context: TurnContext): Promise<HandoffConversation> {
    return this.state.get(context, { mode: 'bot' });
  }

  private locale(context: TurnContext): Locale {
    return getReplyLocale(context) ?? this.deps.defaultLocale;
  }

  private t(locale: Locale, key: string, values: Record<string, unknown> = {}): string {
    return this.notices.text(locale, key, values);
  }

  private emitLifecycle(event: HandoffLifecycleEvent): void {
    this.lifecycle.emit(event);
  }

  private tellCustomer(record: HandoffRecord, key: string, values: Record<string, unknown>, id: string): Promise<void> {
    return this.notices.tell(record, key, values, id);
  }

  private tellPosition(record: HandoffRecord, key: 'queued' | 'position' | 'agentLost'): Promise<void> {
    return this.notices.tellPosition(record, key);
  }

  private estimateMinutes(record: HandoffRecord, position: number): Promise<number> {
    return this.notices.estimateMinutes(record, position);
  }
}
