import type { ConversationReference } from 'botbuilder';
import type { Locale } from '../config.js';

/**
 * Who holds the conversation: the bot's dialogs, the queue, an agent. In `prescreen` and `survey`
 * the dialogs ask the handoff's questions (dialogs/prescreen-dialog.ts, dialogs/csat-dialog.ts)
 * and the mode middleware stays out of their way.
 */
export type ConversationMode = 'bot' | 'prescreen' | 'queued' | 'agent' | 'survey';

export type HandoffReason = 'explicit' | 'sentiment' | 'fallback' | 'topic' | 'intent' | 'offer' | 'transfer';

export type HandoffState = 'waiting' | 'assigned' | 'resolved' | 'cancelled';

export interface TranscriptEntry {
  readonly from: 'customer' | 'bot' | 'agent';
  readonly text: string;
  readonly at: string;
  readonly intent?: string | null | undefined;
  readonly sentiment?: number | undefined;
}

export interface CustomerInfo {
  readonly id: string;
  readonly name?: string | undefined;
  readonly locale: Locale;
  /** Whatever identity the profile holds (employee type, segment, department…). */
  readonly identity?: Readonly<Record<string, string>> | undefined;
  readonly location?: Readonly<Record<string, string>> | undefined;
  readonly segment?: string | undefined;
}

/** Everything an agent starts with: the `handoff.initiate` context. */
export interface HandoffPayload {
  readonly reference: Partial<ConversationReference>;
  readonly channelId: string;
  readonly customer: CustomerInfo;
  readonly reason: HandoffReason;
  readonly skill: string;
  readonly intent?: string | undefined;
  readonly intentsSeen: readonly string[];
  /** Sentiment scores of the recent customer turns, oldest first. */
  readonly sentimentTrend: readonly number[];
  readonly slots: Readonly<Record<string, string>>;
  readonly summary: { readonly wants: string; readonly entities: readonly string[]; readonly lastMessage: string };
  readonly transcript: readonly TranscriptEntry[];
}

/** What is known of an agent message after it left: accepted (sent), delivered, read, or failed. */
export type MessageDelivery = 'sent' | 'delivered' | 'read' | 'failed';

/** A message of the live conversation between customer and agent; a `note` is the agents' own, never sent. */
export interface HandoffMessage {
  readonly id: string;
  readonly from: 'customer' | 'agent' | 'system' | 'note';
  /** Who wrote a note (agent id). */
  readonly by?: string | undefined;
  readonly text: string;
  readonly at: string;
  readonly intent?: string | null | undefined;
  readonly sentiment?: number | undefined;
  /**
   * For agent messages: pending until the channel took it, then delivered (or failed after every
   * retry); channels with receipts (WhatsApp Cloud API) move it on to read, or to failed.
   */
  readonly delivery?: 'pending' | MessageDelivery | undefined;
  readonly error?: string | undefined;
  /** A system message's meaning for the console: the customer left while an agent held the conversation. */
  readonly event?: 'customer-left' | undefined;
}

export interface HandoffRecord {
  readonly id: string;
  readonly state: HandoffState;
  readonly skill: string;
  readonly language: Locale;
  /** 1 is the most urgent. */
  readonly priority: number;
  readonly createdAt: number;
  /** When it (last) entered the queue. */
  readonly enqueuedAt: number;
  readonly agentId?: string | undefined;
  readonly assignedAt?: number | undefined;
  /** A returning customer's last agent, offered the handoff first until `reservedUntil`. */
  readonly reservedFor?: string | undefined;
  readonly reservedUntil?: number | undefined;
  readonly payload: HandoffPayload;
  readonly outcome?: { readonly disposition: string; readonly note?: string | undefined; readonly by: string; readonly at: number } | undefined;
}

export interface NewHandoff {
  readonly id: string;
  readonly skill: string;
  readonly language: Locale;
  readonly priority: number;
  readonly payload: HandoffPayload;
  readonly reservedFor?: string | undefined;
  readonly reservedUntil?: number | undefined;
}

/** Who is asking for work: an agent's routing facts. */
export interface AgentRouting {
  readonly id: string;
  readonly skills: readonly string[];
  readonly languages: readonly Locale[];
}

export interface QueueStats {
  readonly skill: string;
  readonly language: Locale;
  readonly waiting: number;
  readonly oldestWaitMs: number;
}
