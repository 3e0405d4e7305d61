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
  suggest(input: { text: string; locale: Locale; intent?: string | null | undefined }): Promise<AssistSuggestion[]>;
}

export interface AssistView {
  readonly intent: string | null | undefined;
  readonly sentimentTrend: readonly number[];
  readonly nextBestAction: string;
  readonly suggestions: readonly AssistSuggestion[];
}

/** What the console shows next to the latest customer message. */
export async function assistFor(record: HandoffRecord, messages: readonly HandoffMessage[], assist: AgentAssist | undefined): Promise<AssistView> {
  const lastCustomer = [...messages].reverse().find((m) => m.from === 'customer');
  const trend = [...record.payload.sentimentTrend, ...messages.filter((m) => m.from === 'customer' && m.sentiment !== undefined).map((m) => m.sentiment as number)].slice(-10);
  const intent = lastCustomer?.intent ?? record.payload.intent ?? record.payload.intentsSeen.at(-1);
  const text = lastCustomer?.text ?? record.payload.summary.lastMessage;
  const suggestions = assist && text ? await assist.suggest({ text, locale: record.language, intent }).catch(() => []) : [];
  const latest = trend.at(-1) ?? 0;
  const nextBestAction =
    latest <= -0.5
      ? 'Acknowledge the frustration and apologise before answering.'
      : suggestions.length
        ? 'Check the suggested answer, adapt it and send it.'
        : record.payload.summary.wants
          ? `Confirm what the customer wants (${record.payload.summary.wants}) and answer it.`
          : 'Greet the customer and ask how you can help.';
  return { intent, sentimentTrend: trend, nextBestAction, suggestions };
}
