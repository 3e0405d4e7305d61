import type { ConversationState, Middleware, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Agent, AgentDirectory } from '../agent/agent-directory.js';
import type { DeliveryReceipt } from '../channels/delivery-receipts.js';
import type { Locale } from '../config.js';
import type { HandoffSettings } from '../config/handoff.js';
import type { UserProfile } from '../bot/user-profile.js';
import type { CsatAnswer } from '../bot/csat-recorder.js';
import type { HandoffDialog, RatedChat } from '../bot/handoff-requester.js';
import type { I18n } from '../i18n/create-i18n.js';
import type { Logger } from '../logger.js';
import type { CallbackActionResult, CallbackRecord, CallbackStore } from './callbacks/callback-store.js';
import { ConversationModeMiddleware } from './conversation/conversation-mode.js';
import type { HandoffConversation } from './conversation/handoff-conversation.js';
import { HandoffIntake, type HandoffRequest, type HandoffRequestResult } from './conversation/handoff-intake.js';
import { SurveyAnswers } from './conversation/survey-answers.js';
import type { CsatStore } from './csat-store.js';
import { CustomerNotices } from './customer-notices.js';
import type { AgentEventBus } from './event-bus.js';
import { HandoffLifecycle, type HandoffLifecycleEvent } from './handoff-lifecycle.js';
import type { OutboundDelivery } from '../channels/outbound/outbound-delivery.js';
import type { HandoffActionResult, HandoffQueue, ResolveOutcome } from './queue/handoff-queue.js';
import { AgentDesk, type AgentMessageResult } from './routing/agent-desk.js';
import { AgentMessageDelivery } from './routing/agent-message-delivery.js';
import { CallbackDesk } from './routing/callback-desk.js';
import { RoutingPolicy } from './routing/routing-policy.js';
import { HandoffScheduler } from './scheduler/handoff-scheduler.js';
import type { SkillCatalog } from './skills.js';
import type { TranscriptStore } from './transcript-store.js';
import type { ConversationMode, HandoffRecord } from './types.js';

export { conversationKey, conversationKeyOf, customerKey } from './handoff-keys.js';
export type { HandoffConversation } from './conversation/handoff-conversation.js';
export type { HandoffRequest, HandoffRequestResult } from './conversation/handoff-intake.js';
export type { HandoffLifecycleEvent } from './handoff-lifecycle.js';
export type { HandoffStage } from './customer-notices.js';

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

/**
 * Hands conversations to human agents and back: the one object the feature, the consoles and
 * the dialogs hold. It wires the parts and delegates to them:
 * - `conversation/`: the turn middleware (modes), the intake (request, offer, queueing,
 *   callbacks booked), what the post-chat survey's answer does, the payload agents start with
 *   (the dialogs ask pre-screening and the survey: dialogs/prescreen-dialog.ts, csat-dialog.ts);
 * - `routing/`: where a handoff goes (skill, priority, affinity) and what agents do with it;
 * - `scheduler/`: the lease reaper and the position notices.
 */
export class HandoffService {
  readonly state: StatePropertyAccessor<HandoffConversation>;
  readonly middleware: Middleware;
  private readonly lifecycle: HandoffLifecycle;
  private readonly notices: CustomerNotices;
  private readonly scheduler: HandoffScheduler;
  private readonly intake: HandoffIntake;
  private readonly surveys: SurveyAnswers;
  private readonly desk: AgentDesk;
  private readonly callbackDesk: CallbackDesk;
  private readonly delivery: AgentMessageDelivery;

  constructor(private readonly deps: HandoffServiceDeps) {
    const now = deps.now ?? Date.now;
    const state = deps.conversationState.createProperty<HandoffConversation>('handoff');
    const lifecycle = new HandoffLifecycle(deps.logger);
    const notices = new CustomerNotices(deps);
    const routing = new RoutingPolicy({ ...deps, now });
    const intake = new HandoffIntake({ ...deps, state, routing, notices, lifecycle, now });
    this.state = state;
    this.lifecycle = lifecycle;
    this.notices = notices;
    this.intake = intake;
    this.surveys = new SurveyAnswers({ ...deps, state, notices, lifecycle, now });
    this.middleware = new ConversationModeMiddleware({ ...deps, state, intake, notices, now });
    this.scheduler = new HandoffScheduler({ ...deps, notices, now });
    this.desk = new AgentDesk({ ...deps, notices, lifecycle, now });
    this.callbackDesk = new CallbackDesk({ ...deps, lifecycle, now });
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
    return (await this.state.get(context, { mode: 'bot' })).mode;
  }

  /** Starts a handoff (pre-screening first when the skill needs it). Called by the dialogs and the triggers. */
  request(context: TurnContext, request: HandoffRequest): Promise<HandoffRequestResult> {
    return this.intake.request(context, request);
  }

  /** Asks whether the customer wants a person; a "yes" on the next turn starts the handoff. */
  offer(context: TurnContext, request: HandoffRequest): Promise<HandoffRequestResult> {
    return this.intake.offer(context, request);
  }

  // ---- what the dialogs ask for the handoff (dialogs/prescreen-dialog.ts, csat-dialog.ts) ----

  /** The pre-screening or the agent-chat survey this conversation waits for, if any. */
  async pendingDialog(context: TurnContext): Promise<HandoffDialog | undefined> {
    const state = await this.state.get(context, { mode: 'bot' });
    if (state.mode === 'prescreen' && state.handoffId) return { kind: 'prescreen', handoffId: state.handoffId, questions: this.intake.prescreenQuestions(state) };
    if (state.mode === 'survey' && state.survey) return { kind: 'survey', handoffId: state.survey.handoffId, rates: state.survey };
    return undefined;
  }

  completePrescreen(context: TurnContext, answers: Readonly<Record<string, string>>): Promise<void> {
    return this.intake.completePrescreen(context, answers);
  }

  cancelPrescreen(context: TurnContext): Promise<void> {
    return this.intake.cancelPrescreen(context);
  }

  recordSurvey(context: TurnContext, rates: RatedChat, answer: CsatAnswer): Promise<void> {
    return this.surveys.record(context, rates, answer);
  }

  declineSurvey(context: TurnContext): Promise<void> {
    return this.surveys.decline(context);
  }

  /** Hears every handoff queued, accepted, resolved or cancelled and every CSAT answer; returns the unsubscribe. */
  onLifecycle(listener: (event: HandoffLifecycleEvent) => void): () => void {
    return this.lifecycle.on(listener);
  }

  // ---- agents and supervisors (routing/) ---------------------------------------------------

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

  /** Agents configured for a skill and language. */
  agentsFor(skill: string, language: Locale): Agent[] {
    return this.notices.agentsFor(skill, language);
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

  // ---- background work (scheduler/) --------------------------------------------------------

  /** Starts the lease reaper and the waiting-position notices. */
  start(): void {
    this.scheduler.start();
  }

  async close(): Promise<void> {
    this.scheduler.close();
  }

  reapExpired(): Promise<string[]> {
    return this.scheduler.reapExpired();
  }

  notifyPositions(): Promise<void> {
    return this.scheduler.notifyPositions();
  }
}
