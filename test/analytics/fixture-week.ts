import { randomUUID } from 'node:crypto';
import { testKeys } from './support.js';
import type { AnalyticsEvent, TurnMode } from '../../src/analytics/types.js';

/**
 * A scripted week of conversations (Monday 2025-03-03 … Sunday 2025-03-09, UTC): mixed
 * channels and languages, fallbacks, five handoffs (one abandoned, one still open), three CSAT
 * answers. The expected metrics in store.contract.ts are counted by hand from this script.
 */
export const WEEK_START = Date.parse('2025-03-03T00:00:00Z');
export const DAY = 86_400_000;
export const WEEK = { since: WEEK_START, until: WEEK_START + 7 * DAY };

interface ScriptTurn {
  intent?: string;
  fallback?: boolean;
  negative?: boolean;
  mode?: TurnMode;
  text?: string;
}
interface ScriptConversation {
  id: string;
  day: number;
  channel: string;
  locale: string;
  user: string;
  turns: ScriptTurn[];
  handoff?: { reason: string; skill: string; waitS?: number; handleS?: number; cancelAfterS?: number; disposition?: string; agentTurns?: number };
  csat?: number;
}

const answered = (intent: string): ScriptTurn => ({ intent });
const miss = (text = 'hmm what'): ScriptTurn => ({ fallback: true, text });

export const SCRIPT: readonly ScriptConversation[] = [
  { id: 'c1', day: 0, channel: 'whatsapp', locale: 'en', user: 'u1', turns: [answered('billing.balance'), answered('billing.balance')] },
  { id: 'c2', day: 0, channel: 'wechat', locale: 'zh-CN', user: 'u2', turns: [miss('漫游费用太高'), miss(), answered('telecom.roaming')] },
  { id: 'c3', day: 1, channel: 'teams', locale: 'en', user: 'u3', turns: [answered('hr.leave'), miss()], handoff: { reason: 'explicit', skill: 'hr', waitS: 60, handleS: 300, disposition: 'solved', agentTurns: 2 }, csat: 4 },
  { id: 'c4', day: 1, channel: 'whatsapp', locale: 'zh-HK', user: 'u4', turns: [{ fallback: true, negative: true, text: '你哋啲服務差到爆' }], handoff: { reason: 'sentiment', skill: 'general', waitS: 120, handleS: 600, disposition: 'solved' }, csat: 2 },
  { id: 'c5', day: 2, channel: 'kiosk', locale: 'en', user: 'u5', turns: [answered('core.greeting'), answered('hr.leave')] },
  { id: 'c6', day: 3, channel: 'wechat', locale: 'zh-CN', user: 'u6', turns: [answered('billing.balance')], handoff: { reason: 'fallback', skill: 'billing', cancelAfterS: 200 } },
  { id: 'c7', day: 4, channel: 'whatsapp', locale: 'en', user: 'u1', turns: [{ intent: 'telecom.roaming', negative: true }], handoff: { reason: 'topic', skill: 'billing', waitS: 240, handleS: 120, disposition: 'refund' }, csat: 5 },
  { id: 'c8', day: 5, channel: 'teams', locale: 'zh-TW', user: 'u8', turns: [answered('hr.leave'), answered('hr.leave'), miss()] },
  { id: 'c9', day: 6, channel: 'whatsapp', locale: 'en', user: 'u9', turns: [miss('roaming charges too high'), miss()] },
  { id: 'c10', day: 6, channel: 'wechat', locale: 'zh-HK', user: 'u10', turns: [answered('telecom.roaming')], handoff: { reason: 'explicit', skill: 'general', waitS: 90 } },
];

/** The events the script produces, in time order. */
export function weekEvents(): AnalyticsEvent[] {
  const events: AnalyticsEvent[] = [];
  SCRIPT.forEach((script, index) => {
    const conversation = testKeys.conversation(script.channel, script.id);
    const user = testKeys.user(script.user);
    let at = WEEK_START + script.day * DAY + 10 * 3_600_000 + index * 60_000;
    const turn = (t: ScriptTurn, mode: TurnMode) => {
      events.push({
        kind: 'turn', id: randomUUID(), at, channel: script.channel, conversation, user, locale: script.locale,
        language: script.locale === 'en' ? 'en' : script.locale === 'zh-CN' ? 'zh-Hans' : script.locale === 'zh-HK' ? 'yue' : 'zh-Hant',
        intent: t.intent ?? null, pack: t.intent ? t.intent.split('.')[0]! : null, confidence: t.intent ? 0.9 : 0.2,
        outOfScope: !t.intent, ambiguous: false, fallback: Boolean(t.fallback) && mode === 'bot',
        sentiment: t.negative ? -0.8 : 0.1, sentimentLabel: t.negative ? 'negative' : 'neutral',
        answerId: t.intent && mode === 'bot' ? `${t.intent}#0` : null, latencyMs: 100, mode, text: t.text ?? `message ${script.id}`,
      });
      at += 60_000;
    };
    for (const t of script.turns) turn(t, 'bot');
    const h = script.handoff;
    if (!h) return;
    const handoffId = `h-${script.id}`;
    const base = { handoffId, conversation, user, channel: script.channel, locale: script.locale, reason: h.reason, skill: h.skill };
    const queuedAt = at + 10_000;
    events.push({ kind: 'handoff', id: randomUUID(), type: 'queued', at: queuedAt, ...base, agentId: null, disposition: null });
    if (h.cancelAfterS !== undefined) {
      events.push({ kind: 'handoff', id: randomUUID(), type: 'cancelled', at: queuedAt + h.cancelAfterS * 1000, ...base, agentId: null, disposition: null });
      return;
    }
    if (h.waitS === undefined) return;
    const acceptedAt = queuedAt + h.waitS * 1000;
    events.push({ kind: 'handoff', id: randomUUID(), type: 'accepted', at: acceptedAt, ...base, agentId: 'agent-1', disposition: null });
    at = acceptedAt + 1000;
    for (let i = 0; i < (h.agentTurns ?? 0); i++) turn({ text: 'talking to the agent' }, 'agent');
    if (h.handleS === undefined) return;
    const resolvedAt = acceptedAt + h.handleS * 1000;
    events.push({ kind: 'handoff', id: randomUUID(), type: 'resolved', at: resolvedAt, ...base, agentId: 'agent-1', disposition: h.disposition ?? null });
    if (script.csat !== undefined) {
      at = resolvedAt + 30_000;
      turn({ text: String(script.csat) }, 'survey');
      events.push({ kind: 'csat', id: randomUUID(), at: resolvedAt + 60_000, handoffId, conversation, user, channel: script.channel, skill: h.skill, agentId: 'agent-1', score: script.csat, comment: script.csat <= 2 ? 'waited too long' : null });
    }
  });
  return events.sort((a, b) => a.at - b.at);
}
