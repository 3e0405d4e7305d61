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
    let turns;
    try {
      turns = await this.store.turns({ since: until - this.windowDays * DAY_MS, until });
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read past conversations for next-question suggestions');
      return;
    }
    const byConversation = new Map<string, { at: number; intent: string }[]>();
    for (const turn of turns) {
      if (!turn.intent || turn.outOfScope || turn.intent.startsWith('core.')) continue;
      const list = byConversation.get(turn.conversation) ?? [];
      list.push({ at: turn.at, intent: turn.intent });
      byConversation.set(turn.conversation, list);
    }
    const counts = new Map<string, Map<string, number>>();
    for (const list of byConversation.values()) {
      list.sort((a, b) => a.at - b.at);
      for (let i = 1; i < list.length; i += 1) {
        const from = list[i - 1]!.intent;
        const to = list[i]!.intent;
        if (from === to) continue;
        const followers = counts.get(from) ?? new Map<string, number>();
        followers.set(to, (followers.get(to) ?? 0) + 1);
        counts.set(from, followers);
      }
    }
    const next = new Map<string, readonly string[]>();
    for (const [from, followers] of counts) {
      const ranked = [...followers].filter(([, count]) => count >= this.minCount).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      if (ranked.length > 0) next.set(from, ranked.slice(0, PER_INTENT).map(([intent]) => intent));
    }
    this.next = next;
  }
}
