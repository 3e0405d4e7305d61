import type { CardAction } from 'botbuilder';
import { pickChoice } from '../../src/channels/choice-reply.js';

/** How a locale says "Reply 1, 2 or 3": the words around the numbers and how they are joined. */
export interface ChoiceWording {
  /** e.g. "Reply {{numbers}}" / "回复 {{numbers}}"; `{{numbers}}` is replaced. */
  readonly reply: string;
  /** between all but the last two numbers: ", " / "、" */
  readonly separator: string;
  /** between the last two numbers: " or " / " 或 " */
  readonly or: string;
  /** The label of a list of choices behind a button (WhatsApp list messages): "Options" / "選項". */
  readonly menu?: string | undefined;
}

/** "1. Balance\n2. Transfer\n\nReply 1 or 2" */
export function numberedChoices(actions: readonly CardAction[], wording: ChoiceWording): string {
  const lines = actions.map((action, index) => `${index + 1}. ${actionTitle(action)}`);
  return `${lines.join('\n')}\n\n${wording.reply.replace('{{numbers}}', joinNumbers(actions.length, wording))}`;
}

function joinNumbers(count: number, wording: ChoiceWording): string {
  const numbers = Array.from({ length: count }, (_, index) => String(index + 1));
  if (numbers.length <= 1) return numbers.join('');
  return `${numbers.slice(0, -1).join(wording.separator)}${wording.or}${numbers.at(-1)}`;
}

export function actionTitle(action: CardAction): string {
  return action.title ?? (typeof action.value === 'string' ? action.value : JSON.stringify(action.value));
}

/** What the user's reply means when the bot offered `actions`: the text a tap on that button would have sent. */
export function actionValueText(action: CardAction): string {
  return typeof action.value === 'string' ? action.value : actionTitle(action);
}

/** The offered action the reply picks by number, title or value; undefined when the reply is something else. */
export function recognizeChoice(reply: string, actions: readonly CardAction[]): CardAction | undefined {
  const options = actions.map((action) => ({ title: actionTitle(action), value: actionValueText(action), action }));
  return pickChoice(reply, options)?.action;
}
