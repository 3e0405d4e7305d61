import { HAN_RE } from './chinese-script.js';
import { normalizeForMatching } from './normalize.js';

/** A sparse vector: parallel arrays of feature ids (ascending) and values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

export interface FeatureConfig {
  /** Character n-gram lengths inside Latin words (with boundary markers). */
  latinCharNgrams: readonly number[];
  /** Han character n-gram lengths (over runs of Han characters). */
  hanCharNgrams: readonly number[];
  /** Word n-gram lengths over the token sequence (Latin words and Han characters). */
  wordNgrams: readonly number[];
  /** Character n-grams inside each word only, or across word boundaries too. */
  latinCharSpan?: 'word' | 'text';
}

export const DEFAULT_FEATURE_CONFIG: FeatureConfig = {
  latinCharNgrams: [2, 3, 4, 5],
  hanCharNgrams: [1, 2, 3],
  wordNgrams: [1, 2],
  latinCharSpan: 'text',
};

const HAN_RUN_RE = new RegExp(`${HAN_RE.source}+`, 'gu');
const TOKEN_RE = new RegExp(`${HAN_RE.source}|[\\p{L}\\p{M}]+|\\p{N}+`, 'gu');

/**
 * Turns a text into feature strings. Latin words give word n-grams and character n-grams
 * (morphology, typos); Han runs give character 1–3-grams, which need no segmentation and
 * transfer between Mandarin, Cantonese and Traditional text once normalized.
 * Feature kinds are prefixed so a word and a character n-gram never collide.
 */
export function extractFeatureStrings(text: string, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): string[] {
  const norm = normalizeForMatching(text);
  const out: string[] = [];
  // Token sequence: each Han character is a token, Latin words and digit runs are tokens.
  const tokens: string[] = [];
  for (const m of norm.matchAll(TOKEN_RE)) {
    const t = m[0];
    tokens.push(/^\p{N}+$/u.test(t) ? (t.length > 1 ? '#num' : t) : t);
  }
  for (const n of config.wordNgrams) {
    for (let i = 0; i + n <= tokens.length; i++) {
      const gram = tokens.slice(i, i + n);
      // Han 1-grams are covered by the Han character n-grams below.
      if (n === 1 && HAN_RE.test(gram[0] ?? '')) continue;
      if (n > 1 && gram.every((g) => HAN_RE.test(g))) continue;
      out.push(`w${n}:${gram.join(' ')}`);
    }
  }
  if (config.latinCharNgrams.length > 0 && config.latinCharSpan === 'text') {
    const latin = tokens.filter((t) => !HAN_RE.test(t));
    const padded = ` ${latin.join(' ')} `;
    for (const n of config.latinCharNgrams) {
      for (let i = 0; i + n <= padded.length; i++) out.push(`c:${padded.slice(i, i + n)}`);
    }
  } else if (config.latinCharNgrams.length > 0) {
    for (const t of tokens) {
      if (HAN_RE.test(t) || t.length < 2) continue;
      const padded = `<${t}>`;
      for (const n of config.latinCharNgrams) {
        for (let i = 0; i + n <= padded.length; i++) out.push(`c:${padded.slice(i, i + n)}`);
      }
    }
  }
  for (const m of norm.matchAll(HAN_RUN_RE)) {
    const chars = Array.from(m[0]);
    for (const n of config.hanCharNgrams) {
      for (let i = 0; i + n <= chars.length; i++) out.push(`h:${chars.slice(i, i + n).join('')}`);
    }
  }
  return out;
}
