import type { CsatEvent, HandoffEvent, TimeRange, TurnEvent } from './types.js';

export interface MetricsFilter extends TimeRange {
  readonly channel?: string | undefined;
  readonly locale?: string | undefined;
  readonly pack?: string | undefined;
}

export interface MetricsInput {
  readonly turns: readonly TurnEvent[];
  readonly handoffs: readonly HandoffEvent[];
  readonly csat: readonly CsatEvent[];
}

export interface Distribution {
  readonly count: number;
  readonly avg: number | null;
  readonly p90: number | null;
}

/** The headline numbers of one slice of conversations (see README "Analytics" for definitions). */
export interface MetricSummary {
  readonly conversations: number;
  readonly handedOff: number;
  /** (conversations − handed off) / conversations. */
  readonly containmentRate: number | null;
  readonly handoffRate: number | null;
  readonly botTurns: number;
  readonly fallbackTurns: number;
  readonly fallbackRate: number | null;
  readonly csatResponses: number;
  readonly csatAverage: number | null;
}

export interface Metrics {
  readonly range: TimeRange;
  readonly filter: { channel?: string | undefined; locale?: string | undefined; pack?: string | undefined };
  readonly summary: MetricSummary;
  readonly turns: number;
  readonly handoffs: number;
  readonly handoffReasons: Record<string, number>;
  readonly abandonedHandoffs: number;
  readonly waitMs: Distribution;
  readonly handleMs: Distribution;
  readonly latencyMs: Distribution;
  readonly csatDistribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  readonly topIntents: { intent: string; turns: number }[];
  readonly dispositions: Record<string, number>;
  /** Callbacks booked in the period (outside working hours), by where they stand now: open, claimed by an agent, done. */
  readonly callbacks: { readonly booked: number; readonly open: number; readonly claimed: number; readonly done: number };
  readonly byDay: ({ day: string } & MetricSummary)[];
  readonly byChannel: ({ channel: string } & MetricSummary)[];
  readonly byLocale: ({ locale: string } & MetricSummary)[];
  readonly byPack: ({ pack: string } & MetricSummary)[];
  /** Values seen in the period, for the dashboard's filters. */
  readonly dimensions: { channels: string[]; locales: string[]; packs: string[] };
}

interface Conversation {
  readonly key: string;
  readonly channel: string;
  readonly locale: string;
  readonly pack: string;
  readonly day: string;
  readonly turns: TurnEvent[];
}

export const NO_PACK = 'none';
const DAY_MS = 24 * 60 * 60 * 1000;

export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * Computes every metric from the events of a period. One function for both stores, so SQLite
 * and PostgreSQL can never disagree on a definition.
 */
export function computeMetrics(input: MetricsInput, filter: MetricsFilter): Metrics {
  const inRange = (at: number) => at >= filter.since && at < filter.until;
  const all = groupConversations(input.turns.filter((t) => inRange(t.at)));
  const conversations = all.filter(
    (c) => (!filter.channel || c.channel === filter.channel) && (!filter.locale || c.locale === filter.locale) && (!filter.pack || c.pack === filter.pack),
  );
  const keys = new Set(conversations.map((c) => c.key));
  const handoffEvents = input.handoffs.filter((h) => inRange(h.at) && keys.has(h.conversation) && !isCallbackEvent(h));
  const callbackEvents = input.handoffs.filter((h) => inRange(h.at) && keys.has(h.conversation) && isCallbackEvent(h));
  const csat = input.csat.filter((c) => inRange(c.at) && keys.has(c.conversation));
  const handoffs = groupHandoffs(handoffEvents);
  const handedOffKeys = new Set([...handoffs.values()].filter((h) => h.queued).map((h) => h.conversation));

  const summarize = (subset: readonly Conversation[]): MetricSummary => {
    const subsetKeys = new Set(subset.map((c) => c.key));
    const botTurns = subset.flatMap((c) => c.turns).filter((t) => t.mode === 'bot');
    const fallbackTurns = botTurns.filter((t) => t.fallback).length;
    const handedOff = subset.filter((c) => handedOffKeys.has(c.key)).length;
    const scores = csat.filter((c) => subsetKeys.has(c.conversation)).map((c) => c.score);
    return {
      conversations: subset.length,
      handedOff,
      containmentRate: ratio(subset.length - handedOff, subset.length),
      handoffRate: ratio(handedOff, subset.length),
      botTurns: botTurns.length,
      fallbackTurns,
      fallbackRate: ratio(fallbackTurns, botTurns.length),
      csatResponses: scores.length,
      csatAverage: mean(scores),
    };
  };
  const breakdown = <K extends string>(name: K, of: (c: Conversation) => string) =>
    [...groupBy(conversations, of)].sort(([a], [b]) => a.localeCompare(b)).map(([value, subset]) => ({ [name]: value, ...summarize(subset) }) as { [P in K]: string } & MetricSummary);

  const turns = conversations.flatMap((c) => c.turns);
  const reasons: Record<string, number> = {};
  const dispositions: Record<string, number> = {};
  const waits: number[] = [];
  const handles: number[] = [];
  let abandoned = 0;
  for (const handoff of handoffs.values()) {
    if (!handoff.queued) continue;
    reasons[handoff.reason] = (reasons[handoff.reason] ?? 0) + 1;
    if (handoff.accepted !== undefined) waits.push(handoff.accepted - handoff.queued);
    if (handoff.resolved !== undefined && handoff.lastAccepted !== undefined) handles.push(handoff.resolved - handoff.lastAccepted);
    if (handoff.disposition) dispositions[handoff.disposition] = (dispositions[handoff.disposition] ?? 0) + 1;
    if (handoff.cancelled !== undefined && handoff.accepted === undefined) abandoned += 1;
  }
  const intents = new Map<string, number>();
  for (const turn of turns) if (turn.mode === 'bot' && turn.intent) intents.set(turn.intent, (intents.get(turn.intent) ?? 0) + 1);
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const response of csat) {
    const score = String(response.score) as keyof typeof distribution;
    if (score in distribution) distribution[score] += 1;
  }
  const unique = (values: string[]) => [...new Set(values)].sort();

  return {
    range: { since: filter.since, until: filter.until },
    filter: { channel: filter.channel, locale: filter.locale, pack: filter.pack },
    summary: summarize(conversations),
    turns: turns.length,
    handoffs: [...handoffs.values()].filter((h) => h.queued).length,
    handoffReasons: reasons,
    abandonedHandoffs: abandoned,
    waitMs: distributionOf(waits),
    handleMs: distributionOf(handles),
    latencyMs: distributionOf(turns.filter((t) => t.mode === 'bot' && t.latencyMs !== null).map((t) => t.latencyMs!)),
    csatDistribution: distribution,
    topIntents: [...intents].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10).map(([intent, count]) => ({ intent, turns: count })),
    dispositions,
    callbacks: countCallbacks(callbackEvents),
    byDay: fillDays(breakdown('day', (c) => c.day), filter),
    byChannel: breakdown('channel', (c) => c.channel),
    byLocale: breakdown('locale', (c) => c.locale),
    byPack: breakdown('pack', (c) => c.pack),
    dimensions: { channels: unique(all.map((c) => c.channel)), locales: unique(all.map((c) => c.locale)), packs: unique(all.map((c) => c.pack)) },
  };
}

/** A conversation belongs to the day, channel and locale of its first message in the period, and to the pack of its first recognised intent. */
function groupConversations(turns: readonly TurnEvent[]): Conversation[] {
  const byKey = new Map<string, TurnEvent[]>();
  for (const turn of [...turns].sort((a, b) => a.at - b.at)) {
    const list = byKey.get(turn.conversation) ?? [];
    list.push(turn);
    byKey.set(turn.conversation, list);
  }
  return [...byKey].map(([key, list]) => ({
    key,
    channel: list[0]!.channel,
    locale: list[0]!.locale,
    pack: list.find((t) => t.pack)?.pack ?? NO_PACK,
    day: dayOf(list[0]!.at),
    turns: list,
  }));
}

function isCallbackEvent(event: HandoffEvent): boolean {
  return event.type.startsWith('callback-');
}

/** Each callback booked in the period counts once, in the furthest state it reached. */
function countCallbacks(events: readonly HandoffEvent[]): Metrics['callbacks'] {
  const rank = { 'callback-booked': 1, 'callback-claimed': 2, 'callback-done': 3 } as Record<string, number>;
  const booked = new Set(events.filter((e) => e.type === 'callback-booked').map((e) => e.handoffId));
  const furthest = new Map<string, number>();
  for (const event of events) {
    if (!booked.has(event.handoffId)) continue;
    furthest.set(event.handoffId, Math.max(furthest.get(event.handoffId) ?? 0, rank[event.type] ?? 0));
  }
  const count = (level: number) => [...furthest.values()].filter((value) => value === level).length;
  return { booked: booked.size, open: count(1), claimed: count(2), done: count(3) };
}

interface HandoffTimeline {
  conversation: string;
  reason: string;
  queued?: number;
  accepted?: number;
  lastAccepted?: number;
  resolved?: number;
  cancelled?: number;
  disposition?: string | undefined;
}

function groupHandoffs(events: readonly HandoffEvent[]): Map<string, HandoffTimeline> {
  const timelines = new Map<string, HandoffTimeline>();
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    const timeline = timelines.get(event.handoffId) ?? { conversation: event.conversation, reason: event.reason };
    if (event.type === 'queued') {
      timeline.queued ??= event.at;
      timeline.reason = timeline.queued === event.at ? event.reason : timeline.reason;
    } else if (event.type === 'accepted') {
      timeline.accepted ??= event.at;
      timeline.lastAccepted = event.at;
    } else if (event.type === 'resolved') {
      timeline.resolved ??= event.at;
      timeline.disposition = event.disposition ?? undefined;
    } else {
      timeline.cancelled ??= event.at;
    }
    timelines.set(event.handoffId, timeline);
  }
  return timelines;
}

function fillDays<T extends { day: string } & MetricSummary>(rows: T[], range: TimeRange): T[] {
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const days: T[] = [];
  const span = Math.min(range.until - range.since, 400 * DAY_MS);
  for (let at = Date.parse(`${dayOf(range.since)}T00:00:00Z`); at < range.since + span; at += DAY_MS) {
    const day = dayOf(at);
    days.push(byDay.get(day) ?? ({ day, conversations: 0, handedOff: 0, containmentRate: null, handoffRate: null, botTurns: 0, fallbackTurns: 0, fallbackRate: null, csatResponses: 0, csatAverage: null } as T));
  }
  return days;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k) ?? [];
    list.push(item);
    groups.set(k, list);
  }
  return groups;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** Average and 90th percentile (nearest rank: the value at position ⌈0.9·n⌉ in ascending order). */
export function distributionOf(values: readonly number[]): Distribution {
  if (!values.length) return { count: 0, avg: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  return { count: values.length, avg: mean(sorted), p90: sorted[Math.ceil(0.9 * sorted.length) - 1]! };
}
