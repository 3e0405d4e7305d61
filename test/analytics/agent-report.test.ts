import { expect } from 'chai';
import { agentReportCsv, computeAgentReport } from '../../src/analytics/agent-report.js';
import { csvField } from '../../src/analytics/analytics-queries.js';
import type { CsatEvent, HandoffEvent } from '../../src/analytics/types.js';

const S = 1000;

function handoff(handoffId: string, type: HandoffEvent['type'], at: number, agentId: string | null, skill: string): HandoffEvent {
  return { kind: 'handoff', id: `${handoffId}-${type}-${at}`, handoffId, type, at, conversation: `c-${handoffId}`, user: 'u', channel: 'test', locale: 'en', reason: 'explicit', skill, agentId, disposition: null };
}

function csat(handoffId: string, at: number, agentId: string, skill: string, score: number): CsatEvent {
  return { kind: 'csat', id: `csat-${handoffId}`, at, handoffId, conversation: `c-${handoffId}`, user: 'u', channel: 'test', skill, agentId, score, comment: null };
}

describe('analytics: reports per agent and per skill', () => {
  // h1: Ann takes it after 60 s, transfers it to Bob (cards) 100 s later, Bob resolves it after 300 s.
  // h2: Ann takes it after 30 s and resolves it 60 s later. A callback event is not a handoff.
  const events = [
    handoff('h1', 'queued', 0, null, 'billing'),
    handoff('h1', 'accepted', 60 * S, 'ann', 'billing'),
    handoff('h1', 'accepted', 160 * S, 'bob', 'cards'),
    handoff('h1', 'resolved', 460 * S, 'bob', 'cards'),
    handoff('h2', 'queued', 0, null, 'billing'),
    handoff('h2', 'accepted', 30 * S, 'ann', 'billing'),
    handoff('h2', 'resolved', 90 * S, 'ann', 'billing'),
    handoff('cb', 'callback-claimed', 10 * S, 'ann', 'billing'),
  ];
  const answers = [csat('h1', 500 * S, 'bob', 'cards', 5), csat('h2', 100 * S, 'ann', 'billing', 3)];
  const report = computeAgentReport(events, answers, { since: 0, until: 1000 * S });

  it('counts handled, transfers, handle and wait time and CSAT per agent', () => {
    expect(report.agents).to.deep.equal([
      { id: 'ann', assignments: 2, handled: 1, transfers: 1, handleMsAvg: 80 * S, waitMsAvg: 45 * S, csatAverage: 3, csatResponses: 1 },
      { id: 'bob', assignments: 1, handled: 1, transfers: 0, handleMsAvg: 300 * S, waitMsAvg: null, csatAverage: 5, csatResponses: 1 },
    ]);
  });

  it('counts the same per skill, a transfer under the skill it left', () => {
    expect(report.skills).to.deep.equal([
      { id: 'billing', assignments: 2, handled: 1, transfers: 1, handleMsAvg: 80 * S, waitMsAvg: 45 * S, csatAverage: 3, csatResponses: 1 },
      { id: 'cards', assignments: 1, handled: 1, transfers: 0, handleMsAvg: 300 * S, waitMsAvg: null, csatAverage: 5, csatResponses: 1 },
    ]);
  });

  it('counts an assignment in the period it started, a CSAT answer in the period it came', () => {
    const late = computeAgentReport(events, answers, { since: 100 * S, until: 1000 * S });
    expect(late.agents.map((a) => [a.id, a.assignments, a.csatResponses])).to.deep.equal([['bob', 1, 1], ['ann', 0, 1]]);
  });

  it('exports CSV with one line per agent, then per skill, formula-safe', () => {
    const csv = agentReportCsv({ ...report, agents: [...report.agents, { ...report.agents[1]!, id: '=cmd()' }] }, csvField);
    const lines = csv.trim().split('\n');
    expect(lines[0]).to.equal('dimension,id,assignments,handled,transfers,avg_handle_seconds,avg_wait_seconds,csat_average,csat_responses');
    expect(lines[1]).to.equal('agent,ann,2,1,1,80.0,45.0,3.00,1');
    expect(lines[2]).to.equal('agent,bob,1,1,0,300.0,,5.00,1');
    expect(lines[3]).to.match(/^agent,'=cmd\(\),/);
    expect(lines[4]).to.equal('skill,billing,2,1,1,80.0,45.0,3.00,1');
  });
});
