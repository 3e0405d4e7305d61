import type { Activity } from 'botbuilder';
import type { Locale } from '../../../src/config.js';
import {
  activityId,
  type ActivitySet,
  type ConversationStore,
  type ConversationStoreLimits,
  type KioskConversation,
  type NewConversation,
  type StreamListener,
} from './conversation-store.js';

interface Entry {
  conversation: KioskConversation;
  /** Activities from watermark `first` on; older ones were dropped (bounded memory). */
  readonly activities: Partial<Activity>[];
  /** The JSON length of each kept activity, and their sum (bounded by maxLogChars). */
  readonly sizes: number[];
  chars: number;
  first: number;
  readonly listeners: Set<StreamListener>;
  /** When the client last showed up (touch); the bot's own appends do not count. */
  clientSeenAt: number;
  /** Claimed as abandoned since the client last showed up. */
  abandoned: boolean;
}

/**
 * Conversations in this process's memory (the embedded default): one process serves them all,
 * and a restart forgets them. Bounded by `maxConversations` × `maxActivities` and the idle time.
 */
export class MemoryConversationStore implements ConversationStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: ConversationStoreLimits & { now?: () => number }) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async full(): Promise<boolean> {
    return this.entries.size >= this.options.maxConversations;
  }

  async create(conversation: NewConversation): Promise<KioskConversation> {
    const created: KioskConversation = { ...conversation, chosenLocale: undefined, lastActivityAt: this.now() };
    this.entries.set(created.id, { conversation: created, activities: [], sizes: [], chars: 0, first: 0, listeners: new Set(), clientSeenAt: created.lastActivityAt, abandoned: false });
    return created;
  }

  async get(id: string): Promise<KioskConversation | undefined> {
    return this.entries.get(id)?.conversation;
  }

  async setChosenLocale(id: string, locale: Locale): Promise<void> {
    const entry = this.entries.get(id);
    if (entry) entry.conversation = { ...entry.conversation, chosenLocale: locale };
  }

  async append(conversationId: string, activity: Partial<Activity>): Promise<string | undefined> {
    const entry = this.entries.get(conversationId);
    if (!entry) return undefined;
    const sequence = entry.first + entry.activities.length;
    const id = activityId(conversationId, sequence);
    const stored = { ...activity, id };
    const size = JSON.stringify(stored).length;
    entry.activities.push(stored);
    entry.sizes.push(size);
    entry.chars += size;
    const maxChars = this.options.maxLogChars ?? Number.POSITIVE_INFINITY;
    // The newest activity always stays (a client must see it), whatever its size.
    while (entry.activities.length > 1 && (entry.activities.length > this.options.maxActivities || entry.chars > maxChars)) {
      entry.activities.shift();
      entry.chars -= entry.sizes.shift()!;
      entry.first += 1;
    }
    this.markUsed(entry);
    const set: ActivitySet = { activities: [stored], watermark: String(sequence + 1) };
    for (const listener of entry.listeners) listener(set);
    return id;
  }

  async since(conversationId: string, watermark: number | undefined): Promise<ActivitySet | undefined> {
    const entry = this.entries.get(conversationId);
    return entry ? this.slice(entry, watermark) : undefined;
  }

  async stream(conversationId: string, watermark: number | undefined, listener: StreamListener): Promise<(() => void) | undefined> {
    const entry = this.entries.get(conversationId);
    if (!entry) return undefined;
    // Synchronous from here on: nothing can be appended between the backlog and the subscription.
    const backlog = this.slice(entry, watermark);
    if (backlog.activities.length > 0) listener(backlog);
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  async touch(conversationId: string): Promise<void> {
    const entry = this.entries.get(conversationId);
    if (!entry) return;
    this.markUsed(entry);
    entry.clientSeenAt = entry.conversation.lastActivityAt;
    entry.abandoned = false;
  }

  async claimAbandoned(cutoff: number): Promise<KioskConversation[]> {
    const claimed: KioskConversation[] = [];
    for (const entry of this.entries.values()) {
      if (entry.abandoned || entry.listeners.size > 0 || entry.clientSeenAt >= cutoff) continue;
      entry.abandoned = true;
      claimed.push(entry.conversation);
    }
    return claimed;
  }

  async eraseUser(userId: string): Promise<number> {
    let removed = 0;
    for (const [id, entry] of this.entries) {
      if (entry.conversation.userId !== userId) continue;
      this.entries.delete(id);
      removed += 1;
    }
    return removed;
  }

  /** Forgets conversations idle longer than `idleMs` that no stream is watching. */
  async sweep(): Promise<number> {
    const cutoff = this.now() - this.options.idleMs;
    let removed = 0;
    for (const [id, entry] of this.entries) {
      if (entry.conversation.lastActivityAt < cutoff && entry.listeners.size === 0) {
        this.entries.delete(id);
        removed += 1;
      }
    }
    return removed;
  }

  describe(): string {
    let activities = 0;
    let chars = 0;
    for (const entry of this.entries.values()) {
      activities += entry.activities.length;
      chars += entry.chars;
    }
    return `${this.entries.size} open conversation(s) in memory, ${activities} activities kept (${Math.round(chars / 1024)} KB of JSON)`;
  }

  async close(): Promise<void> {
    for (const entry of this.entries.values()) entry.listeners.clear();
  }

  private slice(entry: Entry, watermark: number | undefined): ActivitySet {
    const end = entry.first + entry.activities.length;
    const from = Math.min(Math.max(watermark ?? 0, entry.first), end);
    return { activities: entry.activities.slice(from - entry.first), watermark: String(end) };
  }

  private markUsed(entry: Entry): void {
    entry.conversation = { ...entry.conversation, lastActivityAt: this.now() };
  }
}
