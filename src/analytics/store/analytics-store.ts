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
  /** Retention: deletes transcript lines and blanks message texts and comments older than `before`. */
  purgeTexts(before: number): Promise<number>;
  close(): Promise<void>;
}
