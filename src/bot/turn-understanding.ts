import type { Activity, TurnContext } from 'botbuilder';
import type { DetectedLanguage, NluResult } from '../nlu/types.js';

const UNDERSTANDING = Symbol('carebot.understanding');

/**
 * What the NLU middleware understood of this turn's message. Set once per message turn (in the
 * `late` middleware), read by the handoff triggers, the dialogs and analytics.
 */
export function setTurnUnderstanding(context: TurnContext, understanding: NluResult): void {
  context.turnState.set(UNDERSTANDING, understanding);
}

export function getTurnUnderstanding(context: TurnContext): NluResult | undefined {
  return context.turnState.get(UNDERSTANDING) as NluResult | undefined;
}

/**
 * A message that names its own intent instead of words to classify (a WeChat menu CLICK whose
 * EventKey maps to an intent): `activity.value.chosenIntent`.
 */
export function chosenIntentOf(activity: Partial<Activity>): string | undefined {
  if (activity.type !== 'message') return undefined;
  const value = activity.value as { chosenIntent?: unknown } | undefined;
  return typeof value?.chosenIntent === 'string' && value.chosenIntent !== '' ? value.chosenIntent : undefined;
}

/** What a chosen intent means to the dialogs: that intent, certain, in the language the reply goes in. */
export function chosenUnderstanding(text: string, intent: string, language: DetectedLanguage): NluResult {
  return {
    text,
    intent,
    confidence: 1,
    ambiguous: false,
    alternatives: [],
    outOfScope: false,
    language,
    mixed: false,
    entities: [],
    sentiment: { score: 0, label: 'neutral', angry: false },
  };
}
