import type { AnalyticsEvent, CsatEvent, HandoffEvent, TimeRange, TranscriptEvent, TurnEvent, UserExport } from '../types.js';

/**
 * Where analytics events live. Two implementations behind one contract
 * (test/analytics/store.contract.ts): SQLite (embedded default) and PostgreSQL, both through kysely.
 */
export interface IntentTransition {
  from: string;
  to: string;
  count: number;
}

/** One change an operator made on the review screen: who, when, what (texts are redacted as stored). */
export interface TeachLogEntry {
  readonly id: string;
  readonly at: number;
  /** Who made the change (the admin login and the address it came from). */
  readonly actor: string;
  /** `example`: a message labelled with an intent; `intent`: a new intent; `dismiss`: a message set aside. */
  readonly action: 'example' | 'intent' | 'dismiss';
  readonly pack: string | null;
  readonly intent: string | null;
  readonly text: string | null;
  /** Content version and cross-validation before/after, or what was refused. */
  readonly detail: Record<string, unknown>;
}

export interface AnalyticsStore {
  readonly backend: 'sqlite' | 'postgres';
  /** Creates or upgrades the tables; safe to call again. */
  migrate(): Promise<void>;
  /** Writes a batch in one transaction: all or nothing. */
  write(events: readonly AnalyticsEvent[]): Promise<void>;
  turns(range: TimeRange): Promise<TurnEvent[]>;
  /**
   * How often one understood question followed another in the same conversation: consecutive
   * turns with an intent, not out of scope and not small talk (`core.*`), repeats excluded.
   * Counted by the database, so no turn rows are read into memory.
   */
  intentTransitions(range: TimeRange): Promise<IntentTransition[]>;
  transcript(range: TimeRange): Promise<TranscriptEvent[]>;
  handoffEvents(range: TimeRange): Promise<HandoffEvent[]>;
  csat(range: TimeRange): Promise<CsatEvent[]>;
  /** Everything stored about one user (the hashed key). */
  exportUser(user: string): Promise<UserExport>;
  /** Deletes everything stored about one user; resolves with the rows removed. */
  deleteUser(user: string): Promise<number>;
  /** Appends to the audit log of the review screen. */
  recordTeaching(entries: readonly TeachLogEntry[]): Promise<void>;
  /** The review screen's audit log, newest first. */
  teachingLog(limit: number): Promise<TeachLogEntry[]>;
  /** Retention: deletes transcript lines and blanks message texts, comments and dismissed review texts older than `before`. */
  purgeTexts(before: number): Promise<number>;
  close(): Promise<void>;
}
