import type { Locale } from '../config.js';
import type { HandoffMessage, HandoffRecord } from '../handoff/types.js';

export interface AssistSuggestion {
  readonly text: string;
  /** Where it came from, e.g. the knowledge answer id. */
  readonly source?: string | undefined;
  readonly score?: number | undefined;
}

/** Knowledge-backed suggestions for an agent; optional (the knowledge engineer provides one). */
export interface AgentAssist {
  suggest(input: { text: string; locale: Locale; intent?: string | null | undefined; scope?: AssistScope | undefined }): Promise<AssistSuggestion[]>;
}

/** Where suggestions may come from: the conversation's own packs and skill (no HR canteen answer for a bank customer). */
export interface AssistScope {
  /** Packs of the intents the conversation touched (`bank` of `bank.lost_card`). */
  readonly packs: readonly string[];
  readonly skill: string;
}

/** The packs of the non-core intents a handoff saw. */
export function scopeOf(record: HandoffRecord, latestIntent: string | null | undefined): AssistScope {
  const intents = [record.payload.intent, ...record.payload.intentsSeen, latestIntent].filter((id): id is string => typeof id === 'string' && id.includes('.'));
  const packs = [...new Set(intents.map((id) => id.slice(0, id.indexOf('.'))))].filter((pack) => pack !== 'core');
  return { packs, skill: record.skill };
}

export interface AssistView {
  readonly intent: string | null | undefined;
  readonly sentimentTrend: readonly number[];
  readonly nextBestAction: string;
  /** The same advice as a code the console translates (`console.actions.<code>`). */
  readonly nextBestActionCode: 'apologise' | 'check-suggestion' | 'confirm-wants' | 'greet';
  readonly suggestions: readonly AssistSuggestion[];
}

/** What the console shows next to the latest customer message. */
export async function assistFor(record: HandoffRecord, messages: readonly HandoffMessage[], assist: AgentAssist | undefined): Promise<AssistView> {
  const lastCustomer = [...messages].reverse().find((m) => m.from === 'customer');
  const trend = [...record.payload.sentimentTrend, ...messages.filter((m) => m.from === 'customer' && m.sentiment !== undefined).map((m) => m.sentiment as number)].slice(-10);
  const intent = lastCustomer?.intent ?? record.payload.intent ?? record.payload.intentsSeen.at(-1);
  const text = lastCustomer?.text ?? record.payload.summary.lastMessage;
  // In the customer's language: the agent sends it to them.
  const suggestions = assist && text ? await assist.suggest({ text, locale: record.language, intent, scope: scopeOf(record, lastCustomer?.intent) }).catch(() => []) : [];
  const latest = trend.at(-1) ?? 0;
  const wants = record.payload.summary.wants;
  const nextBestActionCode = latest <= -0.5 ? 'apologise' : suggestions.length ? 'check-suggestion' : wants ? 'confirm-wants' : 'greet';
  const nextBestAction = {
    apologise: 'Acknowledge the frustration and apologise before answering.',
    'check-suggestion': 'Check the suggested answer, adapt it and send it.',
    'confirm-wants': `Confirm what the customer wants (${wants}) and answer it.`,
    greet: 'Greet the customer and ask how you can help.',
  }[nextBestActionCode];
  return { intent, sentimentTrend: trend, nextBestAction, nextBestActionCode, suggestions };
}
