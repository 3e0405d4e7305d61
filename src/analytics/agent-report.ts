import type { CsatEvent, HandoffEvent, TimeRange } from './types.js';

/** One agent's or one skill's work over a period. Times are milliseconds. */
export interface WorkRow {
  /** Agent id or skill name. */
  readonly id: string;
  /** Assignments the agent (or the skill's agents) took in the period. */
  readonly assignments: number;
  /** Assignments that ended with the agent resolving the handoff. */
  readonly handled: number;
  /** Assignments that ended with the handoff going to someone else (a transfer or a reassignment). */
  readonly transfers: number;
  /** Accepted → resolved or handed on, over the assignments that ended. */
  readonly handleMsAvg: number | null;
  /** Queued → first accepted, for the handoffs this agent (skill) picked up first. */
  readonly waitMsAvg: number | null;
  readonly csatAverage: number | null;
  readonly csatResponses: number;
}

export interface AgentReport {
  readonly range: TimeRange;
  readonly agents: WorkRow[];
  readonly skills: WorkRow[];
}

interface Tally {
  assignments: number;
  handled: number;
  transfers: number;
  handles: number[];
  waits: number[];
  scores: number[];
}

/**
 * Per agent and per skill, from the handoff lifecycle events. Each `accepted` event starts an
 * assignment; the next `accepted` of the same handoff ends it as a transfer (the handoff
 * feature records no separate transfer event, and a transfer always ends in another accept),
 * `resolved` ends it as handled. A handoff's wait counts once, for whoever accepted it first.
 * Assignments are counted in the period they started; CSAT answers in the period they came.
 */
export function computeAgentReport(handoffs: readonly HandoffEvent[], csat: readonly CsatEvent[], range: TimeRange): AgentReport {
  const inRange = (at: number) => at >= range.since && at < range.until;
  const agents = new Map<string, Tally>();
  const skills = new Map<string, Tally>();
  const tally = (map: Map<string, Tally>, id: string): Tally => {
    let entry = map.get(id);
    if (!entry) map.set(id, (entry = { assignments: 0, handled: 0, transfers: 0, handles: [], waits: [], scores: [] }));
    return entry;
  };
  const byHandoff = new Map<string, HandoffEvent[]>();
  for (const event of handoffs) {
    if (event.type.startsWith('callback-')) continue;
    byHandoff.set(event.handoffId, [...(byHandoff.get(event.handoffId) ?? []), event]);
  }
  for (const events of byHandoff.values()) {
    events.sort((a, b) => a.at - b.at);
    const queued = events.find((e) => e.type === 'queued');
    const accepts = events.filter((e) => e.type === 'accepted' && e.agentId);
    const resolved = events.find((e) => e.type === 'resolved');
    accepts.forEach((accept, i) => {
      if (!inRange(accept.at)) return;
      const targets = [tally(agents, accept.agentId!), tally(skills, accept.skill)];
      const next = accepts[i + 1];
      for (const t of targets) {
        t.assignments += 1;
        if (i === 0 && queued) t.waits.push(accept.at - queued.at);
        if (next) {
          t.transfers += 1;
          t.handles.push(next.at - accept.at);
        } else if (resolved && resolved.at >= accept.at) {
          t.handled += 1;
          t.handles.push(resolved.at - accept.at);
        }
      }
    });
  }
  for (const answer of csat) {
    if (!inRange(answer.at)) continue;
    if (answer.agentId) tally(agents, answer.agentId).scores.push(answer.score);
    tally(skills, answer.skill).scores.push(answer.score);
  }
  return { range: { since: range.since, until: range.until }, agents: rows(agents), skills: rows(skills) };
}

function rows(map: Map<string, Tally>): WorkRow[] {
  return [...map]
    .map(([id, t]) => ({
      id,
      assignments: t.assignments,
      handled: t.handled,
      transfers: t.transfers,
      handleMsAvg: mean(t.handles),
      waitMsAvg: mean(t.waits),
      csatAverage: mean(t.scores),
      csatResponses: t.scores.length,
    }))
    .sort((a, b) => b.handled - a.handled || a.id.localeCompare(b.id));
}

function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** The report as CSV: one line per agent, then one per skill. */
export function agentReportCsv(report: AgentReport, field: (value: string) => string): string {
  const lines = ['dimension,id,assignments,handled,transfers,avg_handle_seconds,avg_wait_seconds,csat_average,csat_responses'];
  const seconds = (ms: number | null) => (ms === null ? '' : (ms / 1000).toFixed(1));
  for (const [dimension, list] of [['agent', report.agents], ['skill', report.skills]] as const) {
    for (const row of list) {
      lines.push([dimension, field(row.id), row.assignments, row.handled, row.transfers, seconds(row.handleMsAvg), seconds(row.waitMsAvg), row.csatAverage === null ? '' : row.csatAverage.toFixed(2), row.csatResponses].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
