import { ActionTypes, MessageFactory, type Activity, type CardAction } from 'botbuilder';

/** A choice the bot offered; the user may answer with its number, its title or its value. */
export interface OfferedChoice {
  readonly value: string;
  readonly title: string;
}

const CHINESE_NUMERALS: Readonly<Record<string, number>> = { 一: 1, 二: 2, 两: 2, 兩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, ' ')
    .trim();
}

function ordinalOf(text: string): number | undefined {
  const digits = /^(?:no\.?|number|option|#|第)?\s*(\d{1,2})\s*(?:個|个|項|项|號|号)?$/u.exec(text);
  if (digits?.[1]) return Number(digits[1]);
  const chinese = /^(?:第)?([一二两兩三四五六七八九])(?:個|个|項|项|號|号)?$/u.exec(text);
  if (chinese?.[1]) return CHINESE_NUMERALS[chinese[1]];
  return undefined;
}

/**
 * Which offered choice a reply picks: "2" (or "第二", "#2"), the exact title or value, or a reply
 * that contains exactly one choice's title. Undefined when none or more than one fit.
 */
export function matchChoice(reply: string, choices: readonly OfferedChoice[]): OfferedChoice | undefined {
  if (choices.length === 0) return undefined;
  const text = normalize(reply);
  if (text === '') return undefined;
  const ordinal = ordinalOf(text.replace(/ /g, ''));
  if (ordinal !== undefined) return choices[ordinal - 1];
  const exact = choices.find((choice) => normalize(choice.title) === text || normalize(choice.value) === text);
  if (exact) return exact;
  const contained = choices.filter((choice) => {
    const title = normalize(choice.title);
    return title.length >= 2 && text.includes(title);
  });
  return contained.length === 1 ? contained[0] : undefined;
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
