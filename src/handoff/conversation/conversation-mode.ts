import { randomUUID } from 'node:crypto';
import { ActivityTypes, type ConversationState, type Middleware, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { redact } from '../../analytics/redact.js';
import { getTurnContent } from '../../bot/turn-content.js';
import { getTurnUnderstanding } from '../../bot/turn-understanding.js';
import type { Locale } from '../../config.js';
import type { HandoffSettings } from '../../config/handoff.js';
import { asksForHuman, isNo, isYes } from '../conversation-text.js';
import { staged, type CustomerNotices } from '../customer-notices.js';
import type { AgentEventBus } from '../event-bus.js';
import { conversationKey } from '../handoff-keys.js';
import type { HandoffQueue } from '../queue/handoff-queue.js';
import type { TranscriptStore } from '../transcript-store.js';
import { backToBot, replyLocale, wantsToStop, type HandoffConversation } from './handoff-conversation.js';
import type { HandoffIntake, HandoffRequest } from './handoff-intake.js';

const KEPT_SIGNALS = 10;

export interface ConversationModeDeps {
  readonly state: StatePropertyAccessor<HandoffConversation>;
  readonly conversationState: ConversationState;
  readonly queue: HandoffQueue;
  readonly bus: AgentEventBus;
  readonly transcripts: TranscriptStore;
  readonly settings: Pick<HandoffSettings, 'negativeTurns' | 'strongNegativeScore'>;
  readonly intake: HandoffIntake;
  readonly notices: CustomerNotices;
  readonly defaultLocale: Locale;
  readonly now: () => number;
}

/**
 * The turn middleware: keeps the transcript, raises explicit requests and negative sentiment,
 * answers a pending offer, and holds the conversation while it is queued or with an agent
 * (relaying the customer's words). Otherwise the dialogs answer, and they ask the handoff's own
 * questions: pre-screening and, once an agent resolved the chat, the survey.
 */
export class ConversationModeMiddleware implements Middleware {
  constructor(private readonly deps: ConversationModeDeps) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.type === ActivityTypes.EndOfConversation) {
      await this.customerLeft(context);
      return next();
    }
    if (context.activity.type !== 'message') return next();
    const { transcripts, now } = this.deps;
    const state = await this.conversation(context);
    const text = (context.activity.text ?? '').trim();
    const understanding = getTurnUnderstanding(context);
    const key = conversationKey(context.activity);
    // Kept for a later handoff's context: agents get redacted text, so raw personal data never reaches Redis.
    await transcripts.append(key, {
      from: 'customer',
      text: redact(text),
      at: new Date(now()).toISOString(),
      intent: understanding?.intent,
      sentiment: understanding?.sentiment.score,
    });
    if (understanding?.intent) state.intentsSeen = [...(state.intentsSeen ?? []), understanding.intent].slice(-KEPT_SIGNALS);
    if (understanding) state.sentiments = [...(state.sentiments ?? []), understanding.sentiment.score].slice(-KEPT_SIGNALS);
    context.onSendActivities(async (_ctx, activities, sendNext) => {
      for (const sent of activities) {
        // Stored for the agent's view: the bot's words are redacted like the customer's are in analytics.
        if (sent.type === 'message' && sent.text) await transcripts.append(key, { from: 'bot', text: redact(sent.text), at: new Date(now()).toISOString() });
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
    const { queue, bus, intake, notices } = this.deps;
    const locale = replyLocale(context, this.deps.defaultLocale);
    if (state.mode === 'queued' || state.mode === 'agent') {
      const record = state.handoffId ? await queue.get(state.handoffId) : undefined;
      if (record?.state === 'resolved') {
        // The resolved notice asked for the rating: this message answers it, in the dialogs' survey.
        state.mode = 'survey';
        state.survey = { handoffId: record.id, agentId: record.outcome?.by, skill: record.skill };
        return false;
      }
      if (!record || record.state === 'cancelled') {
        backToBot(state);
        return false;
      }
      if (wantsToStop(context, text)) {
        await intake.cancel(record);
        backToBot(state);
        await context.sendActivity(staged(notices.text(locale, 'cancelled'), 'none'));
        return true;
      }
      const understanding = getTurnUnderstanding(context);
      const message = {
        id: randomUUID(),
        from: 'customer' as const,
        text: redact(text),
        at: new Date(this.deps.now()).toISOString(),
        intent: understanding?.intent,
        sentiment: understanding?.sentiment.score,
      };
      await queue.appendMessage(record.id, message);
      await bus.publish({ type: 'customer-message', handoffId: record.id, agentId: record.agentId, message });
      state.mode = record.state === 'assigned' ? 'agent' : 'queued';
      return true;
    }
    // The dialogs are asking the handoff's questions: no trigger or offer may interrupt them.
    if (state.mode === 'prescreen' || state.mode === 'survey') return false;

    if (state.pendingOffer) {
      const offer = state.pendingOffer;
      state.pendingOffer = undefined;
      if (isYes(text)) {
        if (offer.kind === 'handoff') return this.startHandoff(context, { reason: offer.reason, skill: offer.skill, intent: offer.intent });
        await intake.bookCallback(context, state, offer);
        return true;
      }
      if (isNo(text)) {
        await context.sendActivity(notices.text(locale, 'declined'));
        return true;
      }
    }
    return this.checkTriggers(context, state, text);
  }

  /**
   * The customer left (endOfConversation: a kiosk's idle reset or "start over", a Direct Line
   * client gone too long): a wait for a person ends (abandoned, as analytics counts a handoff
   * cancelled before anyone accepted it); an agent already holding the conversation is told, so
   * they resolve it instead of talking to nobody.
   */
  private async customerLeft(context: TurnContext): Promise<void> {
    const { queue, bus } = this.deps;
    const state = await this.conversation(context);
    if (state.mode === 'bot') return;
    const record = state.handoffId ? await queue.get(state.handoffId) : undefined;
    if (record?.state === 'assigned') {
      const message = { id: randomUUID(), from: 'system' as const, text: 'The visitor left (the kiosk was reset or the chat was closed).', at: new Date(this.deps.now()).toISOString(), event: 'customer-left' as const };
      await queue.appendMessage(record.id, message);
      await bus.publish({ type: 'customer-message', handoffId: record.id, agentId: record.agentId, message });
    } else {
      if (record?.state === 'waiting') await this.deps.intake.cancel(record);
      backToBot(state);
    }
    await this.deps.conversationState.saveChanges(context);
  }

  private async checkTriggers(context: TurnContext, state: HandoffConversation, text: string): Promise<boolean> {
    const understanding = getTurnUnderstanding(context);
    if (understanding?.intent === 'core.human' || (!understanding?.intent && asksForHuman(text))) {
      // The topic talked about before asking routes the request (a lost card goes to the cards skill).
      const topic = (state.intentsSeen ?? []).filter((intent) => !intent.startsWith('core.')).at(-1);
      return this.startHandoff(context, { reason: 'explicit', intent: topic });
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
      return this.startHandoff(context, { reason: 'sentiment', intent: understanding.intent ?? undefined });
    }
    return false;
  }

  /** True when the request took the turn; a skill that pre-screens leaves it to the dialogs, which ask its fields. */
  private async startHandoff(context: TurnContext, request: HandoffRequest): Promise<boolean> {
    const result = await this.deps.intake.request(context, request);
    return result.status !== 'prescreen';
  }

  private async conversation(context: TurnContext): Promise<HandoffConversation> {
    return this.deps.state.get(context, { mode: 'bot' });
  }
}
