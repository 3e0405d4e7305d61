import type { CardAction } from 'botbuilder';

/** How a locale says "Reply 1, 2 or 3": the words around the numbers and how they are joined. */
export interface ChoiceWording {
  /** e.g. "Reply {{numbers}}" / "回复 {{numbers}}"; `{{numbers}}` is replaced. */
  readonly reply: string;
  /** between all but the last two numbers: ", " / "、" */
  readonly separator: string;
  /** between the last two numbers: " or " / " 或 " */
  readonly or: string;
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

const CHINESE_NUMERALS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 兩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/**
 * The offered action the reply picks: its number ("2", "２", "二", "2."), its title or its value
 * (case and surrounding punctuation ignored). Undefined when the reply is something else.
 */
export function recognizeChoice(reply: string, actions: readonly CardAction[]): CardAction | undefined {
  const text = normalize(reply);
  if (!text) return undefined;
  const number = choiceNumber(text);
  if (number !== undefined) return actions[number - 1];
  return actions.find((action) => normalize(actionTitle(action)) === text || normalize(actionValueText(action)) === text);
}

function choiceNumber(text: string): number | undefined {
  const match = /^(?:no\.?\s*|第\s*)?([0-9]{1,2}|[一二两兩三四五六七八九十])\s*(?:個|个|項|项)?$/u.exec(text);
  if (!match?.[1]) return undefined;
  const digits = match[1];
  return CHINESE_NUMERALS[digits] ?? Number(digits);
}

function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .replace(/^[\s"'“”‘’「」『』]+|[\s.。!！?？,，、"'“”‘’「」『』]+$/gu, '')
    .toLowerCase();
}
