import { computeAgentReport, type AgentReport } from './agent-report.js';
import { computeMetrics, type Metrics, type MetricsFilter } from './metrics.js';
import type { AnalyticsStore } from './store/analytics-store.js';
import { hotTopics, topicMessages, type HotTopic, type HotTopicOptions } from './topics/hot-topics.js';
import type { TimeRange } from './types.js';

/** Handoffs and CSAT answers can come a while after the conversation's first message. */
const LATE_EVENTS_MS = 7 * 24 * 60 * 60 * 1000;

/** What the dashboard, the API, `npm run topics` and `npm run report` ask analytics. */
export class AnalyticsQueries {
  constructor(private readonly store: AnalyticsStore) {}

  async metrics(filter: MetricsFilter): Promise<Metrics> {
    const late = { since: filter.since, until: filter.until + LATE_EVENTS_MS };
    const [turns, handoffs, csat] = await Promise.all([this.store.turns(filter), this.store.handoffEvents(late), this.store.csat(late)]);
    // Late events count for conversations of the period; the range check in computeMetrics uses their own time.
    return computeMetrics({ turns, handoffs, csat }, filter.until === Infinity ? filter : { ...filter, until: filter.until });
  }

  /** Handled, handle and wait time, CSAT and transfers per agent and per skill. */
  async agentReport(range: TimeRange): Promise<AgentReport> {
    // A handoff accepted in the period may have been queued before it, and resolved after.
    const wide = { since: range.since - LATE_EVENTS_MS, until: range.until + LATE_EVENTS_MS };
    const [handoffs, csat] = await Promise.all([this.store.handoffEvents(wide), this.store.csat(range)]);
    return computeAgentReport(handoffs, csat, range);
  }

  async topics(filter: MetricsFilter, options: HotTopicOptions = {}): Promise<HotTopic[]> {
    const [turns, csat] = await Promise.all([this.store.turns(filter), this.store.csat(filter)]);
    const localeByConversation = new Map<string, string>();
    const packByConversation = new Map<string, string>();
    for (const turn of turns) {
      if (!localeByConversation.has(turn.conversation)) localeByConversation.set(turn.conversation, turn.locale);
      if (turn.pack && !packByConversation.has(turn.conversation)) packByConversation.set(turn.conversation, turn.pack);
    }
    const keep = (t: { channel: string; conversation: string }) =>
      (!filter.channel || t.channel === filter.channel) &&
      (!filter.locale || localeByConversation.get(t.conversation) === filter.locale) &&
      (!filter.pack || (packByConversation.get(t.conversation) ?? 'none') === filter.pack);
    const keptTurns = turns.filter(keep);
    const keptCsat = csat.filter(keep);
    return hotTopics(topicMessages(keptTurns, keptCsat, (c) => localeByConversation.get(c)), keptCsat, filter, options);
  }

  /** Misunderstood messages grouped by topic, as CSV an operator labels and feeds to `npm run nlu -- train`. */
  async learningCsv(range: TimeRange): Promise<string> {
    const topics = await this.topics(range, { minSize: 1, limit: 10_000 });
    const lines = ['text,label,lang,cluster,source,count'];
    for (const topic of topics) {
      const seen = new Map<string, { lang: string; source: string; count: number }>();
      for (const m of topic.messages) {
        if (m.source === 'complaint') continue;
        const entry = seen.get(m.text) ?? { lang: m.locale, source: m.source, count: 0 };
        entry.count += 1;
        seen.set(m.text, entry);
      }
      for (const [text, entry] of seen) lines.push([text, '', entry.lang, topic.label, entry.source, String(entry.count)].map(csvField).join(','));
    }
    return `${lines.join('\n')}\n`;
  }
}

export function csvField(value: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
