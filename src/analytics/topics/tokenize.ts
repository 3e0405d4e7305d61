import { toSimplified } from '../../nlu/chinese-script.js';
import { chineseTermConcept, englishPhraseConcept, longestChineseTerm, stemEnglish } from '../../nlu/lexicon.js';
import { normalizeForMatching } from '../../nlu/normalize.js';
import { segmentHan } from '../../nlu/segment.js';

const EN_STOP = new Set(
  'a an the and or but if then so too very really is are was were be been am i me my we our you your it its this that these those to of in on at for from with by about as do does did not no can could would should will just have has had why what how when where who which there here please hi hello thanks thank get got want need any some more much many than also one all still again'.split(' '),
);
const ZH_STOP = new Set('的 了 吗 嘛 呢 啊 呀 吧 我 你 他 她 它 我们 你们 是 在 有 和 就 都 也 又 还 很 太 好 这 那 这个 那个 这么 那么 为什么 点解 咁 系 係 唔 嘅 咗 啲 佢 想 要 会 可以 怎么 怎样 点样 一个 个 到 去 来 说 话 给 吗 么 啦 喎 噉 乜 边 几 多 同 同埋 就 而家 现在 请问 请'.split(' '));
/** Enough for the lexicon's longest phrases ("how do i get", 太 + 高). */
const MAX_PHRASE_TOKENS = 4;
const PLACEHOLDER = /\[(EMAIL|CN_ID|HKID|CARD|PHONE)\]/g;

/**
 * The terms of a message for topic mining: English words (stemmed, stop words out), Chinese
 * words (jieba, in Simplified script), both mapped to the NLU lexicon's concepts where it knows
 * them, phrases included ("too high", 太高: two words that are one concept).
 */
export function topicTerms(text: string): string[] {
  const terms: string[] = [];
  const clean = text.replace(PLACEHOLDER, ' ').toLowerCase();
  const english: string[] = [];
  const flushEnglish = (): void => {
    terms.push(...englishTerms(english));
    english.length = 0;
  };
  for (const match of clean.matchAll(/[a-z]+|[\u3400-\u9fff\uf900-\ufaff]+/g)) {
    const run = match[0];
    if (/[a-z]/.test(run)) {
      english.push(run);
      continue;
    }
    flushEnglish();
    terms.push(...chineseTerms(segmentHan(toSimplified(run))));
  }
  flushEnglish();
  return terms;
}

function englishTerms(words: readonly string[]): string[] {
  const terms: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const phrase = longestPhrase(words, i, (candidate) => englishPhraseConcept(candidate));
    if (phrase) {
      terms.push(phrase.concept);
      i = phrase.end - 1;
      continue;
    }
    const word = words[i]!;
    if (word.length < 2 || EN_STOP.has(word)) continue;
    terms.push(englishPhraseConcept([word]) ?? stemEnglish(word));
  }
  return terms;
}

function chineseTerms(tokens: readonly string[]): string[] {
  const terms: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const phrase = longestPhrase(tokens, i, (candidate) => chineseTermConcept(normalizeForMatching(candidate.join('')).replace(/ /gu, '')));
    if (phrase) {
      terms.push(phrase.concept);
      i = phrase.end - 1;
      continue;
    }
    const token = tokens[i]!;
    if (ZH_STOP.has(token)) continue;
    const normalized = normalizeForMatching(token).replace(/ /gu, '');
    const concept = chineseTermConcept(normalized);
    const parts = concept ? [concept] : splitCompound(normalized);
    if (parts) terms.push(...parts);
    else if (token.length >= 2) terms.push(token);
  }
  return terms;
}

/** The longest run of two or more tokens from `start` that is one concept ("too high", 太 + 高). */
function longestPhrase(tokens: readonly string[], start: number, conceptOf: (phrase: readonly string[]) => string | undefined): { end: number; concept: string } | undefined {
  for (let end = Math.min(tokens.length, start + MAX_PHRASE_TOKENS); end > start + 1; end--) {
    const concept = conceptOf(tokens.slice(start, end));
    if (concept) return { end, concept };
  }
  return undefined;
}

/** 漫游费 → [roaming, fee] when every piece is a lexicon term or a stop character. */
function splitCompound(token: string): string[] | undefined {
  if (token.length < 2) return undefined;
  const found: string[] = [];
  let i = 0;
  while (i < token.length) {
    const term = longestChineseTerm(token, i);
    if (term) {
      found.push(term.concept);
      i = term.end;
    } else if (ZH_STOP.has(token[i]!)) {
      i += 1;
    } else {
      return undefined;
    }
  }
  return found.length ? found : undefined;
}
