import { normalizeForMatching, normalizeWidthAndCase } from './normalize.js';
import type { Sentiment, SentimentLabel } from './types.js';

// Polarity lexicons. Chinese entries are in the normalized form (Simplified, Cantonese
// mapped to Mandarin: 唔 → 不, 嬲 → 生气…), so one list serves zh-Hans, zh-Hant and yue.
const EN_POLARITY: Readonly<Record<string, number>> = {
  good: 2, great: 3, excellent: 3, amazing: 3, awesome: 3, perfect: 3, love: 3, like: 1, nice: 2,
  happy: 2, glad: 2, thanks: 1.5, thank: 1.5, helpful: 2, satisfied: 2, fantastic: 3, wonderful: 3,
  fast: 1, quick: 1, easy: 1, best: 2, pleased: 2, appreciate: 2, cool: 1, fine: 0.5, ok: 0.3, okay: 0.3,
  bad: -2, terrible: -3, awful: -3, horrible: -3, worst: -3, hate: -3, poor: -2, slow: -1.5,
  useless: -3, rubbish: -3, garbage: -3, disappointed: -2.5, disappointing: -2.5, unhappy: -2.5,
  angry: -3, annoyed: -2.5, annoying: -2.5, frustrated: -2.5, frustrating: -2.5, upset: -2.5,
  ridiculous: -2.5, unacceptable: -3, scam: -3, broken: -2, wrong: -1.5, problem: -1, issue: -1,
  complain: -2.5, complaint: -2.5, furious: -3.5, pathetic: -3, stupid: -3, sucks: -3, suck: -2.5,
  waste: -2, wasted: -2, fail: -2, failed: -2, lost: -1.5, stolen: -2, fraud: -2.5,
  incompetent: -3, worried: -1.5, sad: -2, hell: -2, damn: -2.5,
  shit: -3, crap: -3, fucking: -3.5, fuck: -3.5, wtf: -3, bullshit: -3.5, idiot: -3, idiots: -3,
};
const EN_PHRASES: Readonly<Record<string, number>> = {
  'what the hell': -3.5, 'what the fuck': -4, 'fed up': -3, 'sick of': -3, 'sick and tired': -3.5,
  'thank you': 2, 'well done': 2.5, 'not working': -2, "doesn't work": -2, 'does not work': -2,
  'waste of time': -3, 'speak to a manager': -1.5, 'rip off': -3, 'ripped off': -3, 'not bad': 1.5,
};
const ZH_POLARITY: Readonly<Record<string, number>> = {
  好: 1, 很好: 2, 非常好: 3, 好好: 2, 满意: 2, 非常满意: 3, 开心: 2, 高兴: 2, 喜欢: 2, 谢谢: 1.5, 多谢: 1.5,
  感谢: 2, 不错: 2, 棒: 2.5, 赞: 2.5, 厉害: 2, 方便: 1.5, 专业: 1.5, 优秀: 2.5, 完美: 3,
  好正: 2.5, 犀利: 2, 好用: 2, 有用: 1.5, 耐心: 1.5, 贴心: 2, 靠谱: 2, 顺利: 1.5,
  差: -2, 太差: -3, 很差: -3, 差劲: -3, 垃圾: -3.5, 烂: -2.5, 糟糕: -3, 失望: -2.5, 生气: -3, 愤怒: -3.5,
  不满: -2.5, 不满意: -2.5, 投诉: -3, 气死: -3.5, 激死: -3.5, 烦: -2, 麻烦: -1, 离谱: -3, 骗子: -3.5,
  骗: -2.5, 坑: -2, 慢: -1, 错: -1.5, 难用: -2.5, 没用: -2.5, 废物: -3.5, 讨厌: -2.5,
  恶心: -3, 无语: -2, 火大: -3, 火滚: -3, 什么鬼: -3, 搞什么: -2.5, 滚: -3, 仆街: -3.5, 屌: -3.5, 妈的: -3.5,
  他妈: -3.5, 扑街: -3.5, 伤心: -2.5, 担心: -1.5, 着急: -1.5, 坏: -2, 坏了: -2,
  退钱: -1, 忍无可忍: -4, 受够: -3, 太过分: -3, 过分: -2.5, 黑店: -3, 浪费: -2,
};
const EN_NEGATORS = new Set(['not', 'no', 'never', "don't", 'dont', "doesn't", 'doesnt', "isn't", 'isnt', "wasn't", "aren't", "didn't", 'didnt', "can't", 'cant', 'cannot', "won't", 'hardly', 'nothing']);
const ZH_NEGATORS = ['不', '没有', '没', '别', '未', '无', '非'];
const INTENSIFIERS_EN = new Set(['very', 'so', 'really', 'extremely', 'totally', 'absolutely', 'too', 'super']);
const ANGER_WORDS = new Set(['angry', 'furious', 'hell', 'damn', 'shit', 'fuck', 'fucking', 'wtf', 'bullshit', 'ridiculous',
  'unacceptable', 'useless', 'rubbish', 'garbage', 'pathetic', 'scam', 'complain', 'complaint', 'idiot', 'idiots', 'incompetent', 'sucks',
  'what the hell', 'what the fuck', 'fed up', 'sick of', 'sick and tired', 'rip off', 'ripped off', 'waste of time',
  '垃圾', '投诉', '生气', '愤怒', '气死', '激死', '离谱', '骗子', '废物', '火大', '火滚', '什么鬼', '搞什么', '滚', '仆街', '扑街', '屌',
  '妈的', '他妈', '忍无可忍', '受够', '太过分', '黑店', '恶心', '无语', '差劲', '太差']);

const EN_PHRASE_LIST: readonly (readonly [string, string, number])[] = Object.entries(EN_PHRASES).map(([p, v]) => [` ${p} `, p, v] as const);

// Lexicon keys by first character, longest first, so the scan below tries only keys that can match.
const ZH_KEYS_BY_FIRST = new Map<string, string[]>();
for (const k of Object.keys(ZH_POLARITY).sort((a, b) => b.length - a.length)) {
  const first = k[0]!;
  ZH_KEYS_BY_FIRST.set(first, [...(ZH_KEYS_BY_FIRST.get(first) ?? []), k]);
}

/**
 * Lexicon sentiment for English, Mandarin and Cantonese: polarity words and phrases,
 * negation flips ("not happy", "唔滿意" → 不满意), intensifiers, exclamation marks and
 * shouting. `angry` flags anger and frustration so dialogs can escalate.
 */
export function analyzeSentiment(text: string): Sentiment {
  const folded = normalizeWidthAndCase(text);
  const norm = normalizeForMatching(text);
  let total = 0;
  let angry = false;

  // English phrases first, then words with negation and intensifiers.
  let rest = ` ${folded.replace(/[^\p{L}\p{N}' ]+/gu, ' ').replace(/\s+/g, ' ')} `;
  for (const [padded, phrase, v] of EN_PHRASE_LIST) {
    if (rest.includes(padded)) {
      total += v;
      if (ANGER_WORDS.has(phrase)) angry = true;
      rest = rest.split(padded).join(' ');
    }
  }
  const words = rest.trim().split(/\s+/).filter(Boolean);
  words.forEach((w, i) => {
    const v = EN_POLARITY[w];
    if (v === undefined) return;
    let s = v;
    const window = words.slice(Math.max(0, i - 3), i);
    const negated = window.some((p) => EN_NEGATORS.has(p));
    if (negated) s = s > 0 ? -s * 0.8 : -s * 0.3;
    if (window.some((p) => INTENSIFIERS_EN.has(p))) s *= 1.5;
    total += s;
    if (ANGER_WORDS.has(w) && s < 0) angry = true;
  });

  // Chinese: longest-match scan over the normalized text.
  const han = norm.replace(/[a-z0-9 ]+/g, ' ');
  for (let i = 0; i < han.length; ) {
    const key = ZH_KEYS_BY_FIRST.get(han[i]!)?.find((k) => han.startsWith(k, i));
    if (!key) {
      i++;
      continue;
    }
    let s = ZH_POLARITY[key]!;
    const before = han.slice(Math.max(0, i - 3), i);
    const negated = !key.startsWith('不') && ZH_NEGATORS.some((n) => before.endsWith(n) || before.slice(0, -1).endsWith(n));
    if (negated) s = s > 0 ? -s * 0.8 : -s * 0.3;
    else if (/(很|太|非常|好|超|极|十分|真是)$/.test(before)) s *= 1.3;
    total += s;
    if (ANGER_WORDS.has(key) && s < 0) angry = true;
    i += key.length;
  }

  const exclamations = (text.match(/[!！]/g) ?? []).length;
  const shouting = /\b[A-Z]{4,}\b/.test(text);
  if (total !== 0 && (exclamations >= 2 || shouting)) total *= 1.3;
  if (total < -2.5 && (exclamations >= 2 || shouting)) angry = true;
  if (/[😡🤬😠💢]/u.test(text)) {
    total -= 3;
    angry = true;
  } else if (/[😀😃😄😁😊🙂👍❤😍🥰🙏]/u.test(text)) total += 1.5;
  else if (/[😞😢😭☹🙁👎]/u.test(text)) total -= 1.5;

  const score = Math.round(Math.tanh(total / 3) * 1000) / 1000;
  const label: SentimentLabel = score <= -0.25 ? 'negative' : score >= 0.25 ? 'positive' : 'neutral';
  return { score, label, angry: angry && label === 'negative' };
}
