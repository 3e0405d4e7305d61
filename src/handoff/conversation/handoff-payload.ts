import { TurnContext, type StatePropertyAccessor } from 'botbuilder';
import { redact } from '../../analytics/redact.js';
import { getTurnUnderstanding } from '../../bot/turn-understanding.js';
import type { UserProfile } from '../../bot/user-profile.js';
import type { Locale } from '../../config.js';
import { asksForHuman } from '../conversation-text.js';
import { conversationKey } from '../handoff-keys.js';
import type { TranscriptStore } from '../transcript-store.js';
import type { HandoffPayload, TranscriptEntry } from '../types.js';
import type { HandoffConversation } from './handoff-conversation.js';

/** What the customer wants and said last, from the transcript and the intents seen. */
export function summarize(transcript: readonly TranscriptEntry[], state: Pick<HandoffConversation, 'intent' | 'intentsSeen'>, fallbackText: string): { wants: string; lastMessage: string } {
  const lastCustomer = [...transcript].reverse().find((entry) => entry.from === 'customer');
  const firstWords = transcript.filter((e) => e.from === 'customer').map((e) => e.text);
  const wants = state.intent ?? state.intentsSeen?.filter((i) => i !== 'core.human').at(-1) ?? firstWords.find((t) => !asksForHuman(t)) ?? lastCustomer?.text ?? '';
  return { wants, lastMessage: lastCustomer?.text ?? fallbackText };
}

const asRecord = (value: unknown) => (value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)])) : undefined);

/** Everything an agent starts with: who the customer is, what they want, the pre-screening answers and the transcript. */
export async function buildHandoffPayload(
  context: TurnContext,
  sources: { readonly profile: StatePropertyAccessor<UserProfile>; readonly transcripts: TranscriptStore },
  state: HandoffConversation,
  skill: string,
  locale: Locale,
  prescreened: Readonly<Record<string, string>> = {},
): Promise<HandoffPayload> {
  const { activity } = context;
  const profile = (await sources.profile.get(context, {})) as UserProfile & Record<string, unknown>;
  const transcript = await sources.transcripts.recent(conversationKey(activity));
  const understanding = getTurnUnderstanding(context);
  const { wants, lastMessage } = summarize(transcript, state, redact(activity.text ?? ''));
  return {
    reference: TurnContext.getConversationReference(activity),
    channelId: activity.channelId,
    customer: {
      id: activity.from?.id ?? '',
      name: activity.from?.name,
      locale,
      identity: asRecord(profile.identity),
      location: asRecord(profile.location),
      segment: typeof profile.segment === 'string' ? profile.segment : (asRecord(profile.identity)?.segment ?? undefined),
    },
    reason: state.reason ?? 'explicit',
    skill,
    intent: state.intent,
    intentsSeen: [...new Set(state.intentsSeen ?? [])],
    sentimentTrend: state.sentiments ?? [],
    slots: { ...prescreened },
    summary: {
      wants,
      entities: (understanding?.entities ?? []).map((e) => `${e.type}: ${redact(e.text)}`),
      lastMessage,
    },
    transcript,
  };
}
