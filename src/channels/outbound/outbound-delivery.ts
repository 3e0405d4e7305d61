import type { Activity, ConversationReference, TurnContext } from 'botbuilder';

/** Who sent an outgoing message, so a final failure reaches the right person. */
export interface OutboundOrigin {
  readonly kind: 'agent' | 'system' | string;
  readonly handoffId?: string | undefined;
  readonly messageId?: string | undefined;
  readonly agentId?: string | undefined;
}

export interface OutboundMessage {
  /** Unique; a message enqueued twice with the same id is delivered once. No ':'. */
  readonly id: string;
  readonly reference: Partial<ConversationReference>;
  readonly activities: readonly Partial<Activity>[];
  readonly origin: OutboundOrigin;
}

export interface OutboundListener {
  delivered?(message: OutboundMessage): void | Promise<void>;
  /** After the last retry: the message could not be delivered. */
  failed?(message: OutboundMessage, error: string): void | Promise<void>;
}

/**
 * Proactive messages to customers, through a queue per channel consumed by the process that
 * owns the channel's connection, with retries and exponential backoff. Never drops a message
 * silently: a final failure goes to the listeners.
 */
export interface OutboundDelivery {
  enqueue(message: OutboundMessage): Promise<void>;
  /** Listens to outcomes of messages consumed by this process. */
  listen(listener: OutboundListener): void;
  start(): Promise<void>;
  /** Erasure: removes queued, delayed and failed messages to `userId`; resolves with how many went. */
  eraseUser(userId: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * False for a send error that says `retryable: false` (a channel's MessageRefusedError: the
 * platform refused the message for good, e.g. outside WhatsApp's window or WeChat's 48 hours):
 * the queue reports it at once instead of retrying. Read as a property, so it holds across
 * module copies and processes.
 */
export function isRetryableSend(error: unknown): boolean {
  return (error as { retryable?: unknown } | null | undefined)?.retryable !== false;
}

export interface OutboundOptions {
  readonly attempts: number;
  readonly backoffMs: number;
}

/** Sends a message on the channel this process owns (throws when it cannot). */
export type SendOutbound = (message: OutboundMessage) => Promise<void>;

const OUTBOUND_ORIGIN = Symbol('carebot.outboundOrigin');

/** Set by the code sending a queued message, so a channel can tie later delivery receipts to it. */
export function setOutboundOrigin(context: TurnContext, origin: OutboundOrigin): void {
  context.turnState.set(OUTBOUND_ORIGIN, origin);
}

export function getOutboundOrigin(context: TurnContext): OutboundOrigin | undefined {
  return context.turnState.get(OUTBOUND_ORIGIN) as OutboundOrigin | undefined;
}
