import type { AnalyticsQueries } from './analytics-queries.js';
import type { Metrics } from './metrics.js';
import type { HotTopic } from './topics/hot-topics.js';
import type { TimeRange } from './types.js';

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);
const secs = (ms: number | null) => (ms === null ? '–' : `${Math.round(ms / 1000)} s`);
const fixed = (v: number | null) => (v === null ? '–' : v.toFixed(2));
const delta = (now: number | null, before: number | null, asPct = true) =>
  now === null || before === null ? '' : ` (${now >= before ? '+' : ''}${asPct ? `${((now - before) * 100).toFixed(1)} pts` : (now - before).toFixed(2)})`;

/** `npm run report`: a Markdown summary a service-centre head can forward. */
export async function buildReport(queries: AnalyticsQueries, range: TimeRange): Promise<string> {
  const previous = { since: range.since - (range.until - range.since), until: range.since };
  const [m, before, topics] = await Promise.all([queries.metrics(range), queries.metrics(previous), queries.topics(range, { limit: 10 })]);
  return renderReport(m, before, topics);
}

export function renderReport(m: Metrics, before: Metrics, topics: readonly HotTopic[]): string {
  const day = (at: number) => new Date(at).toISOString().slice(0, 10);
  const s = m.summary;
  const b = before.summary;
  const lines = [
    `# carebot report ${day(m.range.since)} – ${day(m.range.until - 1)}`,
    '',
    '## The numbers (change against the previous period of the same length)',
    '',
    '| metric | value |',
    '|---|---|',
    `| conversations | ${s.conversations} (previous ${b.conversations}) |`,
    `| containment rate | ${pct(s.containmentRate)}${delta(s.containmentRate, b.containmentRate)} |`,
    `| handoff rate | ${pct(s.handoffRate)}${delta(s.handoffRate, b.handoffRate)} |`,
    `| fallback rate | ${pct(s.fallbackRate)}${delta(s.fallbackRate, b.fallbackRate)} |`,
    `| CSAT average (responses) | ${fixed(s.csatAverage)} (${s.csatResponses})${delta(s.csatAverage, b.csatAverage, false)} |`,
    `| wait avg / p90 | ${secs(m.waitMs.avg)} / ${secs(m.waitMs.p90)} |`,
    `| handle time avg / p90 | ${secs(m.handleMs.avg)} / ${secs(m.handleMs.p90)} |`,
    `| abandoned handoffs | ${m.abandonedHandoffs} |`,
    '',
    '## Handoff reasons',
    '',
    ...Object.entries(m.handoffReasons).map(([reason, n]) => `- ${reason}: ${n}`),
    '',
    '## Per channel',
    '',
    '| channel | conversations | containment | fallback | CSAT |',
    '|---|---|---|---|---|',
    ...m.byChannel.map((r) => `| ${r.channel} | ${r.conversations} | ${pct(r.containmentRate)} | ${pct(r.fallbackRate)} | ${fixed(r.csatAverage)} |`),
    '',
    '## Trend per day',
    '',
    '| day | conversations | containment | fallback | CSAT |',
    '|---|---|---|---|---|',
    ...m.byDay.map((r) => `| ${r.day} | ${r.conversations} | ${pct(r.containmentRate)} | ${pct(r.fallbackRate)} | ${fixed(r.csatAverage)} |`),
    '',
    '## Top intents',
    '',
    ...m.topIntents.map((i) => `- ${i.intent}: ${i.turns}`),
    '',
    '## Hot topics (low satisfaction first)',
    '',
    '| topic | messages | trend | CSAT | example |',
    '|---|---|---|---|---|',
    ...topics.map((t) => `| ${t.label} | ${t.size} | ${t.trend} | ${fixed(t.csatAverage)} | ${(t.examples[0]?.text ?? '').replace(/\|/g, '\\|')} |`),
    '',
  ];
  return lines.join('\n');
}
