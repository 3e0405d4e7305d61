/** An option the bot offered: what it shows and what picking it means. */
export interface ChoiceOption {
  readonly title: string;
  readonly value: string;
}

const CHINESE_NUMERALS: Readonly<Record<string, number>> = { 一: 1, 二: 2, 两: 2, 兩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const ORDINAL = /^(?:no\.?|number|option|#|第)?\s*([0-9]{1,2}|[一二两兩三四五六七八九十])\s*(?:個|个|項|项|號|号)?$/u;

/** Case, width and the quotes and punctuation around a reply do not matter. */
function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .replace(/^[\s"'“”‘’「」『』]+|[\s.。!！?？,，、"'“”‘’「」『』]+$/gu, '')
    .toLowerCase();
}

/**
 * The offered option a reply picks: its number ("2", "２", "第二", "#2", "2."), its title or its
 * value. With `contained`, also a reply holding exactly one option's title ("我想問年假") —
 * only where the reply's full text is still read afterwards (the dialogs), never where the
 * reply is replaced by the option (a channel adapter).
 */
export function pickChoice<Option extends ChoiceOption>(reply: string, options: readonly Option[], contained = false): Option | undefined {
  if (options.length === 0) return undefined;
  const text = normalize(reply);
  if (text === '') return undefined;
  const ordinal = ORDINAL.exec(text)?.[1];
  if (ordinal !== undefined) return options[(CHINESE_NUMERALS[ordinal] ?? Number(ordinal)) - 1];
  const exact = options.find((option) => normalize(option.title) === text || normalize(option.value) === text);
  if (exact || !contained) return exact;
  const holding = options.filter((option) => {
    const title = normalize(option.title);
    return title.length >= 2 && text.includes(title);
  });
  return holding.length === 1 ? holding[0] : undefined;
}
