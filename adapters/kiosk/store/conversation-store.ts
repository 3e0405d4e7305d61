import type { Activity } from 'botbuilder';
import type { Locale } from '../../../src/config.js';

/** A batch of activities as Direct Line hands them out: over GET /activities and the stream. */
export interface ActivitySet {
  readonly activities: Partial<Activity>[];
  readonly watermark: string;
}

export interface KioskConversation {
  readonly id: string;
  readonly deviceId: string;
  readonly userId: string;
  readonly userName: string | undefined;
  /** Locale the conversation was started with (defaults to the device's language). */
  readonly locale: Locale;
  /** The language the visitor picked on the kiosk (wins over what their message looks like). */
  readonly chosenLocale: Locale | undefined;
  readonly lastActivityAt: number;
}

export type NewConversation = Omit<KioskConversation, 'lastActivityAt' | 'chosenLocale'>;

/** Receives activity sets in watermark order, each activity exactly once. */
export type StreamListener = (set: ActivitySet) => void;

export interface ConversationStoreLimits {
  /** Activities kept per conversation; older ones drop off (a robot left running stays bounded). */
  readonly maxActivities: number;
  /**
   * Characters of activity JSON kept per conversation (the in-memory store): older activities drop
   * off past it, so a conversation's log costs at most about this much whatever its messages hold.
   */
  readonly maxLogChars?: number;
  /** Open conversations at most (the in-memory store; Redis is bounded by the TTL). */
  readonly maxConversations: number;
  /** A conversation nobody used (no POST, GET or stream) for this long is forgotten. */
  readonly idleMs: number;
}

/**
 * The kiosk channel's Direct Line conversations, their activity logs and stream fan-out. The
 * watermark is the number of activities the conversation ever had (the index after the last one
 * a client saw); activity ids are `<conversation>|<index>`. In memory by default; in Redis when
 * REDIS_URL is set, so any process serves any conversation.
 */
export interface ConversationStore {
  /** True when no new conversation may start now. */
  full(): Promise<boolean>;
  create(conversation: NewConversation): Promise<KioskConversation>;
  get(id: string): Promise<KioskConversation | undefined>;
  setChosenLocale(id: string, locale: Locale): Promise<void>;
  /** Appends an activity, stamping its Direct Line id, and pushes it to every stream of the conversation. */
  append(conversationId: string, activity: Partial<Activity>): Promise<string | undefined>;
  /** Activities after `watermark` (all kept ones when it is absent or older than the log). */
  since(conversationId: string, watermark: number | undefined): Promise<ActivitySet | undefined>;
  /**
   * The activities after `watermark`, then every new one as it is appended (in whichever process),
   * in order and each once; resolves with the unsubscribe, or undefined for an unknown conversation.
   */
  stream(conversationId: string, watermark: number | undefined, listener: StreamListener): Promise<(() => void) | undefined>;
  /** Marks the conversation used by its client (it is forgotten only after idleMs without use). */
  touch(conversationId: string): Promise<void>;
  /**
   * Conversations whose client has been gone since `cutoff` (no stream open, no `touch` since),
   * each claimed by one caller once until it is used again: the caller ends what they waited for.
   */
  claimAbandoned(cutoff: number): Promise<KioskConversation[]>;
  /** Erasure: forgets a visitor's conversations and their activity logs; returns how many went. */
  eraseUser(userId: string): Promise<number>;
  /** Periodic upkeep (forget idle conversations, keep streamed ones alive); returns how many went. */
  sweep(): Promise<number>;
  /** One line for the channel status page. */
  describe(): string;
  close(): Promise<void>;
}

/** The Direct Line id of the activity at `index` of a conversation's log. */
export function activityId(conversationId: string, index: number): string {
  return `${conversationId}|${String(index).padStart(7, '0')}`;
}
