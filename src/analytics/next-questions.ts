import type { NextQuestionSource } from '../bot/next-questions.js';
import type { Logger } from '../logger.js';
import type { AnalyticsStore } from './store/analytics-store.js';

export interface LearnedNextQuestionsOptions {
  /** How far back conversations are read. */
  readonly windowDays?: number;
  /** A follow-up must have been seen this often to be suggested. */
  readonly minCount?: number;
  readonly now?: () => number;
}

const DAY_MS = 86_400_000;
const PER_INTENT = 3;

/**
 * "People who asked this then asked…": counts, over recent conversations, which understood
 * question followed which (the bot's own small talk excluded). Refreshed in the background, so
 * an answer never waits for the database.
 */
export class LearnedNextQuestions implements NextQuestionSource {
  private next = new Map<string, readonly string[]>();
  private readonly windowDays: number;
  private readonly minCount: number;
  private readonly now: () => number;

  constructor(
    private readonly store: AnalyticsStore,
    private readonly logger: Logger,
    options: LearnedNextQuestionsOptions = {},
  ) {
    this.windowDays = options.windowDays ?? 30;
    this.minCount = options.minCount ?? 2;
    this.now = options.now ?? Date.now;
  }

  suggest(intent: string): readonly string[] {
    return this.next.get(intent) ?? [];
  }

  async refresh(): Promise<void> {
    const until = this.now();
    let transitions;
    try {
      transitions = await this.store.intentTransitions({ since: until - this.windowDays * DAY_MS, until });
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read past conversations for next-question suggestions');
      return;
    }
    const followers = new Map<string, { to: string; count: number }[]>();
    for (const t of transitions) {
      if (t.count < this.minCount) continue;
      const list = followers.get(t.from);
      if (list) list.push({ to: t.to, count: t.count });
      else followers.set(t.from, [{ to: t.to, count: t.count }]);
    }
    const next = new Map<string, readonly string[]>();
    for (const [from, list] of followers) {
      list.sort((a, b) => b.count - a.count || a.to.localeCompare(b.to));
      next.set(from, list.slice(0, PER_INTENT).map((f) => f.to));
    }
    this.next = next;
  }
}
