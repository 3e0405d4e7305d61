import type { TurnContext } from 'botbuilder';
import type { NluResult } from '../nlu/types.js';

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
