import { toSimplified } from '../../nlu/chinese-script.js';
import { segmentHan } from '../../nlu/segment.js';
import { EN_TO_CONCEPT, ZH_ENTRIES, ZH_TO_CONCEPT } from './glossary.js';

const EN_STOP = new Set(
  'a an the and or but if then so too very really is are was were be been am i me my we our you your it its this that these those to of in on at for from with by about as do does did not no can could would should will just have has had why what how when where who which there here please hi hello thanks thank get got want need any some more much many than also one all still again'.split(' '),
);
const ZH_STOP = new Set('的 了 吗 嘛 呢 啊 呀 吧 我 你 他 她 它 我们 你们 是 在 有 和 就 都 也 又 还 很 太 好 这 那 这个 那个 为什么 点解 咁 系 係 唔 嘅 咗 啲 佢 想 要 会 可以 怎么 怎样 点样 一个 个 到 去 来 说 话 给 吗 么 啦 喎 噉 乜 边 几 多 同 同埋 就 而家 现在 请问 请'.split(' '));
const PLACEHOLDER = /\[(EMAIL|CN_ID|HKID|CARD|PHONE)\]/g;

/** English stem: enough to join plural and -ing/-ed forms of complaint words. */
function stem(word: string): string {
  if (EN_TO_CONCEPT.has(word)) return word;
  for (const suffix of ['s', 'es', 'ing', 'ed', 'd']) {
    const base = word.slice(0, -suffix.length);
    if (word.endsWith(suffix) && EN_TO_CONCEPT.has(base)) return base;
  }
  if (word.length > 4 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/**
 * The terms of a message for topic mining: English words (stemmed, stop words out), Chinese
 * words (jieba, in Simplified script), both mapped to shared concepts where the glossary knows them.
 */
export function topicTerms(text: string): string[] {
  const terms: string[] = [];
  const clean = text.replace(PLACEHOLDER, ' ').toLowerCase();
  for (const match of clean.matchAll(/[a-z]+|[\u3400-\u9fff\uf900-\ufaff]+/g)) {
    const run = match[0];
    if (/[a-z]/.test(run)) {
      if (run.length < 2 || EN_STOP.has(run)) continue;
      const word = stem(run);
      terms.push(EN_TO_CONCEPT.get(word) ?? EN_TO_CONCEPT.get(run) ?? word);
      continue;
    }
    for (const token of segmentHan(toSimplified(run))) {
      if (ZH_TO_CONCEPT.has(token)) {
        terms.push(ZH_TO_CONCEPT.get(token)!);
        continue;
      }
      const parts = splitCompound(token);
      if (parts) {
        terms.push(...parts);
        continue;
      }
      if (ZH_STOP.has(token) || token.length < 2) continue;
      terms.push(token);
    }
  }
  return terms;
}

/** 漫游费 → [roaming, charge] when every piece is a glossary entry or a stop character. */
function splitCompound(token: string): string[] | undefined {
  if (token.length < 2) return undefined;
  const found: string[] = [];
  let i = 0;
  while (i < token.length) {
    const entry = ZH_ENTRIES.find((candidate) => token.startsWith(candidate, i));
    if (entry) {
      found.push(ZH_TO_CONCEPT.get(entry)!);
      i += entry.length;
    } else if (ZH_STOP.has(token[i]!)) {
      i += 1;
    } else {
      return undefined;
    }
  }
  return found.length ? found : undefined;
}
