import type { TurnContext } from 'botbuilder';

/** A satisfaction answer (1–5 and an optional comment) given to the bot at the end of a conversation. */
export interface CsatAnswer {
  readonly score: number;
  readonly comment: string | null;
}

/** Where the dialogs' CSAT answers go (analytics implements it). */
export interface CsatRecorder {
  record(context: TurnContext, answer: CsatAnswer): void;
}
