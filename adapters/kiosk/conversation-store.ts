import type { Activity } from 'botbuilder';
import type { Locale } from '../../src/config.js';

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
  chosenLocale: Locale | undefined;
  lastActivityAt: number;
}

type Listener = (set: ActivitySet) => void;

interface Entry {
  readonly conversation: KioskConversation;
  /** Activities from watermark `first` on; older ones were dropped (bounded memory). */
  readonly activities: Partial<Activity>[];
  first: number;
  readonly listeners: Set<Listener>;
}

/**
 * The kiosk channel's conversations and their activity logs, in this process's memory.
 * The watermark is the number of activities a client has seen; each log keeps the latest
 * `maxActivities` so a robot left running cannot grow it without bound.
 */
export class ConversationStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: { maxActivities: number; maxConversations: number; idleMs: number; now?: () => number },
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  get size(): number {
    return this.entries.size;
  }

  get full(): boolean {
    return this.entries.size >= this.options.maxConversations;
  }

  create(conversation: Omit<KioskConversation, 'lastActivityAt' | 'chosenLocale'>): KioskConversation {
    const created: KioskConversation = { ...conversation, chosenLocale: undefined, lastActivityAt: this.now() };
    this.entries.set(created.id, { conversation: created, activities: [], first: 0, listeners: new Set() });
    return created;
  }

  get(id: string): KioskConversation | undefined {
    return this.entries.get(id)?.conversation;
  }

  /** Appends an activity, stamping its Direct Line id, and pushes it to the conversation's streams. */
  append(conversationId: string, activity: Partial<Activity>): string | undefined {
    const entry = this.entries.get(conversationId);
    if (!entry) return undefined;
    const sequence = entry.first + entry.activities.length;
    const id = `${conversationId}|${String(sequence).padStart(7, '0')}`;
    const stored = { ...activity, id };
    entry.activities.push(stored);
    if (entry.activities.length > this.options.maxActivities) {
      entry.activities.shift();
      entry.first += 1;
    }
    entry.conversation.lastActivityAt = this.now();
    const set: ActivitySet = { activities: [stored], watermark: String(sequence + 1) };
    for (const listener of entry.listeners) listener(set);
    return id;
  }

  /** Activities after `watermark` (all kept ones when it is absent or older than the log). */
  since(conversationId: string, watermark: number | undefined): ActivitySet | undefined {
    const entry = this.entries.get(conversationId);
    if (!entry) return undefined;
    const end = entry.first + entry.activities.length;
    const from = Math.min(Math.max(watermark ?? 0, entry.first), end);
    return { activities: entry.activities.slice(from - entry.first), watermark: String(end) };
  }

  subscribe(conversationId: string, listener: Listener): (() => void) | undefined {
    const entry = this.entries.get(conversationId);
    if (!entry) return undefined;
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  touch(conversationId: string): void {
    const entry = this.entries.get(conversationId);
    if (entry) entry.conversation.lastActivityAt = this.now();
  }

  /** Erasure: forgets a visitor's conversations and their activity logs; returns how many went. */
  eraseUser(userId: string): number {
    let removed = 0;
    for (const [id, entry] of this.entries) {
      if (entry.conversation.userId !== userId) continue;
      this.entries.delete(id);
      removed += 1;
    }
    return removed;
  }

  /** Forgets conversations idle longer than `idleMs` that no stream is watching. */
  sweep(): number {
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
}
