import type { TurnContext } from 'botbuilder';
import type { Locale } from '../config.js';
import type { CsatAnswer } from './csat-recorder.js';

/** Why a conversation goes to a person. */
export type HandoffReason = 'explicit' | 'fallback' | 'topic' | 'sentiment';

export interface HandoffRequest {
  readonly reason: HandoffReason;
  /** The agent skill to route to; the handoff feature's default when absent. */
  readonly skill?: string | undefined;
  /** The intent that led here (a topic flagged `handoff: true`, or `core.human`). */
  readonly intent?: string | undefined;
}

/** Text in one language, or per language (the skills file's form). */
export type LocalizedText = string | Partial<Record<Locale, string>>;

/** One pre-screening question: a skill's field as the skills file gives it. */
export interface PrescreenQuestion {
  readonly id: string;
  readonly prompt: LocalizedText;
  /** A regular expression the (trimmed) answer must match. */
  readonly pattern?: string | undefined;
  /** Said before the question again when an answer does not match. */
  readonly invalid?: LocalizedText | undefined;
}

/** The agent's chat a survey rates. */
export interface RatedChat {
  readonly handoffId: string;
  readonly agentId?: string | undefined;
  readonly skill: string;
}

/**
 * What the handoff needs the dialogs to ask before it goes on: the skill's pre-screening
 * questions (then it queues), or the rating of an agent's chat that just ended. `handoffId`
 * tells one handoff's dialog from a stale one of an earlier handoff.
 */
export type HandoffDialog =
  | { readonly kind: 'prescreen'; readonly handoffId: string; readonly questions: readonly PrescreenQuestion[] }
  | { readonly kind: 'survey'; readonly handoffId: string; readonly rates: RatedChat };

/** The handoff feature as the dialogs see it. */
export interface HandoffRequester {
  /** Starts the handoff (pre-screening, queueing) in this turn; false when it could not start. */
  request(context: TurnContext, request: HandoffRequest): Promise<boolean>;
  /** The pre-screening or survey the handoff is waiting for in this conversation, if any. */
  pendingDialog(context: TurnContext): Promise<HandoffDialog | undefined>;
  /** Pre-screening answered: queues the handoff with the answers (already redacted). */
  completePrescreen(context: TurnContext, answers: Readonly<Record<string, string>>): Promise<void>;
  /** The customer stopped pre-screening: back to the bot, and they are told so. */
  cancelPrescreen(context: TurnContext): Promise<void>;
  /** The agent's chat was rated: recorded for the agent, and the customer is thanked. */
  recordSurvey(context: TurnContext, rates: RatedChat, answer: CsatAnswer): Promise<void>;
  /** The customer would rather not rate the agent's chat. */
  declineSurvey(context: TurnContext): Promise<void>;
}
