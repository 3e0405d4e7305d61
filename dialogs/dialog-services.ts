import type { StatePropertyAccessor } from 'botbuilder';
import type { CsatRecorder } from '../src/bot/csat-recorder.js';
import type { HandoffRequester } from '../src/bot/handoff-requester.js';
import type { NextQuestionSource } from '../src/bot/next-questions.js';
import type { UserProfile } from '../src/bot/user-profile.js';
import type { Locale } from '../src/config.js';
import type { I18n } from '../src/i18n/create-i18n.js';
import type { Logger } from '../src/logger.js';
import type { OfferedChoice } from './choices.js';
import type { SlotExpectation } from './slot-prompt.js';

export type { HandoffReason, HandoffRequester } from '../src/bot/handoff-requester.js';

/** A choice the bot offered last turn, and what picking it does. */
export interface PendingChoice extends OfferedChoice {
  readonly action: 'intent' | 'handoff' | 'dismiss' | 'neither';
  /** A yes/no question's answers: a plain "yes", "好呀" or "唔使" picks them too. */
  readonly answer?: 'yes' | 'no';
}

/** Per-conversation memory of the dialogs. */
export interface DialogConversationData {
  consecutiveFallbacks?: number;
  pendingChoices?: PendingChoice[];
  /** The intent whose slot question is open, so an answer can be told from a new question. */
  askingIntent?: string;
  /** What that open slot question accepts. */
  askingSlot?: SlotExpectation;
  /** Intents answered in this conversation, most recent last (for handoff summaries). */
  intentsSeen?: string[];
  /** The end-of-conversation survey was offered in this conversation. */
  surveyed?: boolean;
  /** The handoff whose pre-screening or survey the dialog stack holds. */
  handoffDialogOf?: string | undefined;
}

/** What the dialogs remember about a user across conversations: the bot's user profile. */
export type DialogUserProfile = UserProfile;

export interface DialogServices {
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly profile: StatePropertyAccessor<DialogUserProfile>;
  readonly conversationData: StatePropertyAccessor<DialogConversationData>;
  /** Starts handoffs, and names the pre-screening or agent-chat survey the dialogs must ask for it. */
  readonly handoff?: HandoffRequester | undefined;
  /** Where end-of-conversation CSAT answers go (analytics). */
  readonly csat?: CsatRecorder | undefined;
  /** What users asked next in past conversations (analytics), mixed into the suggestions. */
  readonly nextQuestions?: NextQuestionSource | undefined;
  readonly fallbacksBeforeHandoffOffer: number;
  readonly defaultLocale: Locale;
}
