import type { Locale } from '../config.js';
import type { CsatStore } from '../handoff/csat-store.js';
import type { HandoffService } from '../handoff/handoff-service.js';
import { localize } from '../handoff/skills.js';
import type { HandoffMessage, HandoffRecord } from '../handoff/types.js';
import type { Agent } from './agent-directory.js';
import { assistFor, type AgentAssist, type AssistView } from './agent-assist.js';
import type { CannedReply, CannedResponses } from './canned-responses.js';

/** An intent's title in a language (the knowledge packs' titles); the id for an unknown intent. */
export type IntentTitles = (intentId: string, locale: Locale) => string;

export interface HandoffViewDeps {
  readonly service: HandoffService;
  readonly assist?: AgentAssist | undefined;
  readonly canned: CannedResponses;
  readonly titles: IntentTitles;
  readonly csat: CsatStore;
}

/** One earlier handoff of the same customer on the same channel, with its CSAT answer if any. */
export interface EarlierConversation {
  readonly id: string;
  readonly createdAt: number;
  readonly skill: string;
  readonly state: HandoffRecord['state'];
  readonly agentId?: string | undefined;
  readonly disposition?: string | undefined;
  readonly wants: string;
  readonly csat?: number | undefined;
}

export interface HandoffView {
  readonly handoff: HandoffRecord;
  readonly messages: readonly HandoffMessage[];
  readonly assist: AssistView & { readonly intentTitle: string | null };
  /** Titles in the viewing agent's language: the skill, the intents seen, the pre-screening answers. */
  readonly labels: {
    readonly skill: string;
    readonly intents: readonly { readonly id: string; readonly title: string }[];
    readonly slots: readonly { readonly id: string; readonly label: string; readonly value: string }[];
    readonly wants: string;
  };
  readonly canned: readonly CannedReply[];
  readonly history: readonly EarlierConversation[];
}

const HISTORY_KEPT = 10;

/** Everything the console shows for one handoff, in the language the agent reads (`viewerLanguage`). */
export async function handoffView(deps: HandoffViewDeps, record: HandoffRecord, viewer: Agent, viewerLanguage: Locale): Promise<HandoffView> {
  const { queue, skills } = deps.service;
  const messages = await queue.messages(record.id);
  const assist = await assistFor(record, messages, deps.assist);
  const title = (id: string) => deps.titles(id, viewerLanguage);
  const skill = skills.skills.get(record.skill);
  const fields = new Map((skill?.fields ?? []).map((field) => [field.id, field]));
  const { payload } = record;
  const labels = {
    skill: localize(skill?.name, viewerLanguage, record.skill),
    intents: payload.intentsSeen.map((id) => ({ id, title: title(id) })),
    slots: Object.entries(payload.slots).map(([id, value]) => ({ id, label: localize(fields.get(id)?.label, viewerLanguage, id), value })),
    // `wants` is an intent id when the bot understood one, else the customer's own words.
    wants: title(payload.summary.wants),
  };
  const canned = deps.canned.for(record.skill, record.language, viewerLanguage, {
    'customer.name': payload.customer.name ?? '',
    'agent.name': viewer.name,
    skill: localize(skill?.name, record.language, record.skill),
  });
  return { handoff: record, messages, assist: { ...assist, intentTitle: assist.intent ? title(assist.intent) : null }, labels, canned, history: await history(deps, record, title) };
}

/** The customer's earlier handoffs the queue still holds (records live HANDOFF_RECORD_TTL_SECONDS) and their CSAT answers (the CSAT store's recent ones). */
async function history(deps: HandoffViewDeps, record: HandoffRecord, title: (id: string) => string): Promise<EarlierConversation[]> {
  const { customer, channelId } = record.payload;
  const ids = (await deps.service.queue.customerHandoffIds(customer.id)).filter((id) => id !== record.id);
  const answers = (await deps.csat.list()).filter((entry) => entry.customerId === customer.id && entry.channelId === channelId);
  const earlier: EarlierConversation[] = [];
  for (const id of ids.slice(-HISTORY_KEPT)) {
    const other = await deps.service.queue.get(id);
    if (!other || other.payload.channelId !== channelId || other.createdAt > record.createdAt) continue;
    earlier.push({
      id,
      createdAt: other.createdAt,
      skill: other.skill,
      state: other.state,
      agentId: other.agentId ?? other.outcome?.by,
      disposition: other.outcome?.disposition,
      wants: title(other.payload.summary.wants),
      csat: answers.filter((entry) => entry.handoffId === id).at(-1)?.score,
    });
  }
  return earlier.reverse();
}
