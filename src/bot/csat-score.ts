import type { Entity } from '../nlu/types.js';
import { pickChoice } from '../channels/choice-reply.js';

const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 兩: 2, 两: 2, 三: 3, 四: 4, 五: 5 };

/** A CSAT score 1–5 written as a number: "4", "４", "4/5", "四", "4 stars", "2分". */
export function parseScore(text: string): number | undefined {
  const normalized = text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).trim();
  const digit = /^([1-5])(\s*(\/\s*5|分|星|stars?|points?))?[\s.!。！]*$/iu.exec(normalized);
  if (digit?.[1]) return Number(digit[1]);
  const chinese = /^([一二兩两三四五])\s*(分|星|粒星)?[\s.!。！]*$/u.exec(normalized);
  if (chinese?.[1]) return CHINESE_DIGITS[chinese[1]];
  return undefined;
}

/**
 * The one reader of a CSAT answer, for the one survey dialog (dialogs/csat-dialog.ts) that rates
 * both the bot's conversations and agents' chats, so both accept the same answers: a number as
 * `parseScore` reads it, one of the rating's labels in the reply
 * language (`dialogs:csat.labels`, by its position or its text, e.g. a tapped button), or a
 * number the NLU found in the message ("four", "I'd give it 4").
 */
export function readCsatScore(text: string, labels: readonly string[], entities: readonly Entity[] = []): number | undefined {
  const written = parseScore(text);
  if (written !== undefined) return written;
  const options = labels.map((title, index) => ({ value: String(index + 1), title }));
  const picked = pickChoice(text, options, true);
  if (picked) return Number(picked.value);
  const numbers = entities.filter((entity) => entity.type === 'number').map((entity) => Number(entity.value));
  return numbers.length === 1 && Number.isInteger(numbers[0]) && numbers[0]! >= 1 && numbers[0]! <= 5 ? numbers[0] : undefined;
}
