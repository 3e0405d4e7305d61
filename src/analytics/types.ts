/** What analytics records. Texts are redacted and ids hashed before an event is built. */

export type TurnMode = 'bot' | 'prescreen' | 'queued' | 'agent' | 'survey';

export interface TurnEvent {
  readonly kind: 'turn';
  readonly id: string;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly channel: string;
  readonly conversation: string;
  readonly user: string;
  /** The reply locale (en, zh-CN, zh-TW, zh-HK). */
  readonly locale: string;
  /** What language identification said about the message (en, zh-Hans, zh-Hant, yue). */
  readonly language: string | null;
  readonly intent: string | null;
  /** The knowledge pack of the intent (`pack.intent`). */
  readonly pack: string | null;
  readonly confidence: number | null;
  readonly outOfScope: boolean;
  readonly ambiguous: boolean;
  /** The bot answered a message it did not understand (no intent, or out of scope) while it held the conversation. */
  readonly fallback: boolean;
  readonly sentiment: number | null;
  readonly sentimentLabel: string | null;
  readonly answerId: string | null;
  /** Message received → first reply sent. */
  readonly latencyMs: number | null;
  /** Who held the conversation when the message arrived. */
  readonly mode: TurnMode;
  readonly text: string;
}

export interface TranscriptEvent {
  readonly kind: 'transcript';
  readonly id: string;
  readonly at: number;
  readonly conversation: string;
  readonly user: string;
  readonly channel: string;
  readonly role: 'customer' | 'bot' | 'agent';
  readonly text: string;
}

/** A handoff's life, and a callback's (booked outside working hours; `handoffId` is then the callback's id). */
export type HandoffEventType = 'queued' | 'accepted' | 'resolved' | 'cancelled' | CallbackEventType;

export type CallbackEventType = 'callback-booked' | 'callback-claimed' | 'callback-done';

export interface HandoffEvent {
  readonly kind: 'handoff';
  readonly id: string;
  readonly handoffId: string;
  readonly type: HandoffEventType;
  readonly at: number;
  readonly conversation: string;
  readonly user: string;
  readonly channel: string;
  readonly locale: string;
  readonly reason: string;
  readonly skill: string;
  readonly agentId: string | null;
  readonly disposition: string | null;
}

export interface CsatEvent {
  readonly kind: 'csat';
  readonly id: string;
  readonly at: number;
  readonly handoffId: string;
  readonly conversation: string;
  readonly user: string;
  readonly channel: string;
  readonly skill: string;
  readonly agentId: string | null;
  /** 1 … 5. */
  readonly score: number;
  readonly comment: string | null;
}

export type AnalyticsEvent = TurnEvent | TranscriptEvent | HandoffEvent | CsatEvent;

/** [since, until) in epoch milliseconds. */
export interface TimeRange {
  readonly since: number;
  readonly until: number;
}

export interface UserExport {
  readonly user: string;
  readonly turns: TurnEvent[];
  readonly transcript: TranscriptEvent[];
  readonly handoffs: HandoffEvent[];
  readonly csat: CsatEvent[];
}
