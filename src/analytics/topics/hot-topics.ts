import { dayOf } from '../metrics.js';
import type { CsatEvent, TimeRange, TurnEvent } from '../types.js';
import { clusterMessages } from './cluster.js';
import { topicTerms } from './tokenize.js';

/** A message worth mining: not understood, out of scope, negative, or a low CSAT comment. */
export interface TopicMessage {
  readonly text: string;
  readonly at: number;
  readonly conversation: string;
  /** Reply locale of the turn (en, zh-CN, zh-TW, zh-HK). */
  readonly locale: string;
  readonly source: 'fallback' | 'out-of-scope' | 'negative' | 'complaint';
}

export interface HotTopic {
  readonly id: string;
  /** Its most representative terms, e.g. "roaming · charge · expensive". */
  readonly label: string;
  readonly terms: string[];
  readonly size: number;
  readonly conversations: number;
  readonly languages: Record<string, number>;
  readonly sources: Record<string, number>;
  readonly examples: { text: string; locale: string }[];
  /** Messages per day over the period, oldest first. */
  readonly daily: { day: string; count: number }[];
  /** Share of the topic's messages in the last quarter of the period (0.25 = steady). */
  readonly recentShare: number;
  readonly trend: 'rising' | 'steady' | 'falling' | 'new';
  readonly csatAverage: number | null;
  readonly csatResponses: number;
  readonly messages: TopicMessage[];
}

export interface HotTopicOptions {
  readonly minSize?: number;
  readonly limit?: number;
  readonly threshold?: number;
}

/** The messages of a period that topic mining looks at. */
export function topicMessages(turns: readonly TurnEvent[], csat: readonly CsatEvent[], localeOf: (conversation: string) => string | undefined): TopicMessage[] {
  const messages: TopicMessage[] = [];
  for (const turn of turns) {
    if (turn.mode !== 'bot' || !turn.text.trim()) continue;
    const source = turn.fallback ? 'fallback' : turn.outOfScope ? 'out-of-scope' : turn.sentimentLabel === 'negative' ? 'negative' : undefined;
    if (source) messages.push({ text: turn.text, at: turn.at, conversation: turn.conversation, locale: turn.locale, source });
  }
  for (const response of csat) {
    if (response.score <= 2 && response.comment?.trim()) {
      messages.push({ text: response.comment, at: response.at, conversation: response.conversation, locale: localeOf(response.conversation) ?? 'unknown', source: 'complaint' });
    }
  }
  return messages;
}

/**
 * Hot topics of a period: clusters of the mined messages (English and Chinese alike, joined
 * across languages by shared concepts), labelled by their heaviest terms, with size, daily
 * trend and the CSAT of their conversations. Low satisfaction first, then size.
 */
export function hotTopics(messages: readonly TopicMessage[], csat: readonly CsatEvent[], range: TimeRange, options: HotTopicOptions = {}): HotTopic[] {
  const minSize = options.minSize ?? 3;
  const clusters = clusterMessages(messages.map((m) => ({ terms: topicTerms(m.text) })), { threshold: options.threshold ?? 0.5 });
  const scoresByConversation = new Map<string, number[]>();
  for (const response of csat) scoresByConversation.set(response.conversation, [...(scoresByConversation.get(response.conversation) ?? []), response.score]);
  const days: string[] = [];
  for (let at = Date.parse(`${dayOf(range.since)}T00:00:00Z`); at < range.until && days.length < 400; at += 86_400_000) days.push(dayOf(at));
  const recentFrom = range.until - (range.until - range.since) / 4;

  const topics = clusters
    .filter((cluster) => cluster.members.length >= minSize)
    .map((cluster): HotTopic => {
      const members = cluster.members.map((i) => messages[i]!);
      const conversations = new Set(members.map((m) => m.conversation));
      const scores = [...conversations].flatMap((c) => scoresByConversation.get(c) ?? []);
      const perDay = new Map<string, number>();
      for (const m of members) perDay.set(dayOf(m.at), (perDay.get(dayOf(m.at)) ?? 0) + 1);
      const recent = members.filter((m) => m.at >= recentFrom).length / members.length;
      const terms = cluster.topTerms.slice(0, 3).map((t) => t.term);
      const examples: { text: string; locale: string }[] = [];
      const seenLocales = new Set<string>();
      // Examples: the most central message of each language first, then the next most central.
      for (const i of cluster.representative) {
        const m = messages[i]!;
        if (seenLocales.has(m.locale) || examples.some((e) => e.text === m.text)) continue;
        seenLocales.add(m.locale);
        examples.push({ text: m.text, locale: m.locale });
      }
      for (const i of cluster.representative) {
        if (examples.length >= 4) break;
        const m = messages[i]!;
        if (!examples.some((e) => e.text === m.text)) examples.push({ text: m.text, locale: m.locale });
      }
      return {
        id: terms.join('-'),
        label: terms.join(' · '),
        terms: cluster.topTerms.map((t) => t.term),
        size: members.length,
        conversations: conversations.size,
        languages: count(members.map((m) => m.locale)),
        sources: count(members.map((m) => m.source)),
        examples: examples.slice(0, 4),
        daily: days.map((day) => ({ day, count: perDay.get(day) ?? 0 })),
        recentShare: recent,
        trend: recent === 1 ? 'new' : recent >= 0.5 ? 'rising' : recent <= 0.1 ? 'falling' : 'steady',
        csatAverage: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
        csatResponses: scores.length,
        messages: members,
      };
    });
  topics.sort((a, b) => (a.csatAverage ?? 6) - (b.csatAverage ?? 6) || b.size - a.size || a.label.localeCompare(b.label));
  return topics.slice(0, options.limit ?? 20);
}

function count(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
