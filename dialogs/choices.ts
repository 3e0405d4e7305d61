import { ActionTypes, MessageFactory, type Activity, type CardAction } from 'botbuilder';
import { pickChoice, type ChoiceOption } from '../src/channels/choice-reply.js';
import { isNo, isYes } from '../src/handoff/conversation-text.js';

/** A choice the bot offered; the user may answer with its number, its title or its value. */
export type OfferedChoice = ChoiceOption;

/**
 * Which offered choice a reply picks (see `pickChoice`; a reply naming one title counts too). For
 * a yes/no question, a plain yes or no in any variety ("yes", "好呀", "係", "唔使", "不用") picks
 * the choice marked as that answer.
 */
export function matchChoice<Choice extends OfferedChoice & { readonly answer?: 'yes' | 'no' }>(reply: string, choices: readonly Choice[]): Choice | undefined {
  const picked = pickChoice(reply, choices, true);
  if (picked) return picked;
  const answer = isYes(reply) ? 'yes' : isNo(reply) ? 'no' : undefined;
  return answer ? choices.find((choice) => choice.answer === answer) : undefined;
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
