import type { TurnContext } from 'botbuilder';
import type { RatedChat } from '../../bot/handoff-requester.js';
import { getReplyLocale } from '../../bot/turn-state.js';
import { getTurnUnderstanding } from '../../bot/turn-understanding.js';
import type { Locale } from '../../config.js';
import { isCancel } from '../conversation-text.js';
import type { ConversationMode, HandoffReason } from '../types.js';

/** The handoff's memory of one conversation (a ConversationState property). */
export interface HandoffConversation {
  mode: ConversationMode;
  /** Given when the handoff is requested, so pre-screening already belongs to one handoff. */
  handoffId?: string | undefined;
  skill?: string | undefined;
  reason?: HandoffReason | undefined;
  intent?: string | undefined;
  pendingOffer?: { kind: 'handoff' | 'callback'; skill: string; reason: HandoffReason; intent?: string | undefined } | undefined;
  /** The agent's chat the survey rates, while the dialogs ask for the rating. */
  survey?: RatedChat | undefined;
  negativeStreak?: number;
  intentsSeen?: string[];
  sentiments?: number[];
}

/** The core pack's "never mind" intent. */
const CANCEL_INTENT = 'core.cancel';

/** Hands the conversation back to the dialogs, forgetting the handoff (the signals seen are kept). */
export function backToBot(state: HandoffConversation): void {
  state.mode = 'bot';
  state.handoffId = undefined;
  state.survey = undefined;
  state.pendingOffer = undefined;
}

/** "cancel", or the same in the customer's own words ("唔等喇，我自己搞掂": the NLU's `core.cancel`). */
export function wantsToStop(context: TurnContext, text: string): boolean {
  if (isCancel(text)) return true;
  const understanding = getTurnUnderstanding(context);
  return understanding?.intent === CANCEL_INTENT && !understanding.outOfScope && !understanding.ambiguous;
}

export function replyLocale(context: TurnContext, defaultLocale: Locale): Locale {
  return getReplyLocale(context) ?? defaultLocale;
}
