import { ActionTypes, MessageFactory, type Activity, type CardAction } from 'botbuilder';
import { pickChoice, type ChoiceOption } from '../src/channels/choice-reply.js';

/** A choice the bot offered; the user may answer with its number, its title or its value. */
export type OfferedChoice = ChoiceOption;

/** Which offered choice a reply picks (see `pickChoice`; a reply naming one title counts too). */
export function matchChoice<Choice extends OfferedChoice>(reply: string, choices: readonly Choice[]): Choice | undefined {
  return pickChoice(reply, choices, true);
}

/**
 * A message with choices. Dialogs speak meaning: `suggestedActions` with imBack buttons whose
 * value is the title, so a tap and a typed title arrive the same way. Each channel's adapter
 * lays them out (Adaptive Card, buttons, numbered list).
 */
export function messageWithChoices(text: string, choices: readonly OfferedChoice[], speak?: string): Partial<Activity> {
  const actions: CardAction[] = choices.map((choice) => ({ type: ActionTypes.ImBack, title: choice.title, value: choice.title }));
  const activity = MessageFactory.suggestedActions(actions, text, speak);
  return activity;
}
