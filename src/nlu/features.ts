import { normalizeForMatching } from './normalize.js';
import { chineseConcepts, englishConcepts, lexiconKey, stemEnglish } from './lexicon.js';
import { segmentHan } from './segment.js';
import { chineseLemmas, dictionary, englishLemma } from './dictionary.js';
import { wordVectors } from './word-vectors.js';

/** A sparse vector: parallel arrays of feature ids and values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

export interface FeatureConfig {
  /** Character n-gram lengths over Latin text (with boundary markers). */
  latinCharNgrams: readonly number[];
  /** Han character n-gram lengths (over runs of Han characters). */
  hanCharNgrams: readonly number[];
  /** Word n-gram lengths over the token sequence (Latin words and Han characters). */
  wordNgrams: readonly number[];
  /** Character n-grams inside each word only, or across word boundaries too. */
  latinCharSpan?: 'word' | 'text';
  /** Chinese words (jieba segmentation of the normalized Han runs) as extra features. */
  hanWords?: boolean;
  /**
   * Whether Han runs are segmented by jieba at all (absent: yes). Its words feed `hanWords` and
   * the dictionary lemmas; without it the dictionary is matched greedily alone.
   */
  segment?: boolean;
  /** Latin word unigrams are light-stemmed (plural, -ing, -ed) before hashing. */
  stem?: boolean;
  /** Concepts of the bilingual lexicon (`lexicon.ts`) as shared English/Chinese features. */
  lexicon?: boolean;
  /** CC-CEDICT English lemmas of Chinese words, shared with the English words of the text (`dictionary.ts`). */
  dictionary?: boolean;
  /**
   * Length of the averaged word vector appended to the (unit-length) sparse features, 0 or
   * absent for none: English words and the CC-CEDICT lemmas of Chinese words (`word-vectors.ts`).
   */
  wordVectors?: number;
}

/** A text's features: sparse hashes, and the SIF-weighted sum of its word vectors when the config asks for them. */
export interface TextFeatures {
  hashes: number[];
  dense: Float32Array | null;
}

// Latin character 3- and 4-grams: 2- and 5-grams added 40% more features for no accuracy
// (validation splits of BANKING77, CLINC150, MASSIVE and a 12-per-intent multilingual sample).
export const DEFAULT_FEATURE_CONFIG: FeatureConfig = {
  latinCharNgrams: [3, 4],
  hanCharNgrams: [1, 2, 3],
  wordNgrams: [1, 2],
  latinCharSpan: 'text',
  hanWords: true,
  stem: true,
  lexicon: true,
  dictionary: true,
};

/**
 * The config of corpora big enough (see `IntentClassifier.train`) to learn Chinese words from
 * their character n-grams: no jieba. On MASSIVE zh-CN (11,514 examples) it scored 82.9%
 * instead of 82.5% and classified 2.5 times as fast (jieba was 60% of a Chinese message's
 * classification time); with 10 examples per intent jieba's words are worth 1.3 points.
 */
export const LARGE_CORPUS_FEATURE_CONFIG: FeatureConfig = { ...DEFAULT_FEATURE_CONFIG, segment: false };

// Seeds keep feature kinds apart (a word never collides with a character n-gram on purpose).
const SEED_WORD = 0x2545f491;
const SEED_WORD2 = 0x6b43a9b5;
const SEED_LATIN = 0x1b873593;
const SEED_HAN = 0x7feb352d;
const SEED_HANWORD = 0x68e31da4;
const SEED_CONCEPT = 0x4f1bbcdd;
const SEED_DICT = 0x2d8a4b1f;
// A concept's term frequency: 20 occurrences, i.e. tf 1 + ln 20 ≈ 4, so a shared concept outweighs
// the many surface n-grams that differ between languages (cross-validated on small corpora).
const CONCEPT_REPEAT = 20;
// A dictionary lemma's term frequency: 5 occurrences (tf 1 + ln 5 ≈ 2.6); 3 to 10 did as well on
// the mixed-language MASSIVE subsample, 1 clearly worse.
const DICT_REPEAT = 5;
const NUM_TOKEN = fnvString(0x3c6ef372, '#num');

function fnv(h: number, c: number): number {
  return Math.imul(h ^ c, 16777619);
}

/** murmur3 finalizer: spreads FNV's low-entropy bits over the 32-bit hash. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

function fnvString(seed: number, s: string): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = fnv(h, s.charCodeAt(i));
  return h;
}

export function isHanCode(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2ffff);
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

const NON_ASCII_DIGIT_RE = /\p{N}/u;

const KIND_HAN = 1;
const KIND_WORD = 2;
const KIND_NUM = 3;

// Scratch token buffers, reused across calls (extraction is synchronous).
let tokKind = new Uint8Array(64);
let tokHash = new Int32Array(64);
let tokStart = new Int32Array(64);
let tokEnd = new Int32Array(64);

const stemScratch: string[] = [];
const wordScratch: string[] = [];
const conceptScratch: number[] = [];
const lemmaScratch: number[] = [];
const NO_WORDS: readonly string[] = [];

function growTokens(n: number): void {
  if (n < tokKind.length) return;
  const size = tokKind.length * 2 > n ? tokKind.length * 2 : n + 1;
  const k = new Uint8Array(size);
  k.set(tokKind);
  const h = new Int32Array(size);
  h.set(tokHash);
  const s = new Int32Array(size);
  s.set(tokStart);
  const e = new Int32Array(size);
  e.set(tokEnd);
  tokKind = k;
  tokHash = h;
  tokStart = s;
  tokEnd = e;
}

/**
 * Appends the hashed features of a normalized text to `out`. Latin words give word
 * n-grams and character n-grams (morphology, typos); Han runs give character 1–3-grams,
 * which need no segmentation and transfer between Mandarin, Cantonese and Traditional text
 * once normalized, plus jieba words. Both sides also give language-neutral features: concepts
 * of the curated lexicon and English lemmas from the CC-CEDICT dictionary, so "balance" and
 * 余额 meet. Features are 32-bit hashes.
 */
export function featureHashesOfNormalized(norm: string, config: FeatureConfig, out: number[], dense: Float32Array | null = null): void {
  const vec = dense !== null && config.wordVectors ? wordVectors() : null;
  if (dense !== null) dense.fill(0);
  // 1. Tokens: each Han character, each run of letters/marks, each run of digits.
  let nTok = 0;
  let hasHan = false;
  const len = norm.length;
  for (let i = 0; i < len; ) {
    const c = norm.codePointAt(i)!;
    const w = c > 0xffff ? 2 : 1;
    if (c === 32) {
      i += w;
      continue;
    }
    growTokens(nTok + 1);
    if (isHanCode(c)) {
      hasHan = true;
      tokKind[nTok] = KIND_HAN;
      tokHash[nTok] = fnv(SEED_WORD, c);
      tokStart[nTok] = i;
      tokEnd[nTok] = i + w;
      nTok++;
      i += w;
      continue;
    }
    const digit = isDigitCode(c) || (c > 127 && NON_ASCII_DIGIT_RE.test(String.fromCodePoint(c)));
    const start = i;
    let h = SEED_WORD;
    while (i < len) {
      const d = norm.codePointAt(i)!;
      if (d === 32 || isHanCode(d)) break;
      const isDigit = isDigitCode(d) || (d > 127 && NON_ASCII_DIGIT_RE.test(String.fromCodePoint(d)));
      if (isDigit !== digit) break;
      h = fnv(h, d);
      i += d > 0xffff ? 2 : 1;
    }
    tokKind[nTok] = digit ? KIND_NUM : KIND_WORD;
    tokStart[nTok] = start;
    tokEnd[nTok] = i;
    tokHash[nTok] = digit && i - start > 1 ? NUM_TOKEN : h;
    nTok++;
  }

  // Stems of the Latin words, computed once for the word features, the lexicon and the dictionary.
  const stems = config.stem || config.lexicon || config.dictionary ? stemScratch : null;
  if (stems !== null) {
    stems.length = nTok;
    for (let t = 0; t < nTok; t++) {
      stems[t] = tokKind[t] === KIND_WORD ? stemEnglish(norm.slice(tokStart[t]!, tokEnd[t]!)) : '';
    }
  }

  // 2. Word n-grams (Han unigrams and all-Han bigrams are covered by Han n-grams).
  for (const n of config.wordNgrams) {
    if (n === 1) {
      for (let t = 0; t < nTok; t++) {
        if (tokKind[t] === KIND_HAN) continue;
        if (config.stem && tokKind[t] === KIND_WORD && tokEnd[t]! - tokStart[t]! > 3) {
          out.push(fmix(fnvString(SEED_WORD, stems![t]!)));
        } else {
          out.push(fmix(fnv(SEED_WORD, tokHash[t]!)));
        }
      }
    } else {
      for (let t = 0; t + n <= nTok; t++) {
        let allHan = true;
        let h = SEED_WORD2 + n;
        for (let k = t; k < t + n; k++) {
          if (tokKind[k] !== KIND_HAN) allHan = false;
          h = fnv(fnv(h, tokHash[k]!), 0x2f);
        }
        if (!allHan) out.push(fmix(h));
      }
    }
  }

  // 3. Character n-grams over the Latin text: " w1 w2 … " (numbers as "#num").
  const ngrams = config.latinCharNgrams;
  if (ngrams.length > 0) {
    let maxN = 0;
    let mask = 0;
    for (const n of ngrams) {
      if (n > maxN) maxN = n;
      mask |= 1 << n;
    }
    if (config.latinCharSpan === 'text') {
      const codes: number[] = [32];
      for (let t = 0; t < nTok; t++) {
        if (tokKind[t] === KIND_HAN) continue;
        if (tokKind[t] === KIND_NUM && tokEnd[t]! - tokStart[t]! > 1) codes.push(35, 110, 117, 109);
        else for (let i = tokStart[t]!; i < tokEnd[t]!; i++) codes.push(norm.charCodeAt(i));
        codes.push(32);
      }
      if (codes.length > 1) emitCharNgrams(codes, maxN, mask, SEED_LATIN, out);
    } else {
      for (let t = 0; t < nTok; t++) {
        if (tokKind[t] === KIND_HAN || tokEnd[t]! - tokStart[t]! < 2) continue;
        const codes: number[] = [60];
        for (let i = tokStart[t]!; i < tokEnd[t]!; i++) codes.push(norm.charCodeAt(i));
        codes.push(62);
        emitCharNgrams(codes, maxN, mask, SEED_LATIN, out);
      }
    }
  }

  if (config.lexicon) {
    // English phrases run over consecutive Latin words; Han runs are matched in section 4.
    const words = wordScratch;
    words.length = 0;
    const concepts = conceptScratch;
    concepts.length = 0;
    for (let t = 0; t <= nTok; t++) {
      if (t < nTok && tokKind[t] === KIND_WORD) {
        words.push(lexiconKey(stems![t]!));
        continue;
      }
      if (words.length > 0) englishConcepts(words, concepts);
      words.length = 0;
    }
    for (const id of concepts) for (let r = 0; r < CONCEPT_REPEAT; r++) out.push(fmix(fnv(SEED_CONCEPT, id)));
  }

  if (config.dictionary) {
    const dict = dictionary();
    for (let t = 0; t < nTok; t++) {
      if (tokKind[t] !== KIND_WORD) continue;
      const lemma = englishLemma(norm.slice(tokStart[t]!, tokEnd[t]!), stems![t]!);
      const id = lemma === '' ? undefined : dict.lemmas.get(lemma);
      if (id !== undefined) for (let r = 0; r < DICT_REPEAT; r++) out.push(fmix(fnv(SEED_DICT, id)));
    }
  }

  if (vec !== null) {
    for (let t = 0; t < nTok; t++) {
      if (tokKind[t] !== KIND_WORD) continue;
      const word = norm.slice(tokStart[t]!, tokEnd[t]!);
      let row = vec.rows.get(word);
      if (row === undefined && stems !== null) row = vec.lemmaRows.get(lexiconKey(stems[t]!));
      if (row !== undefined) addRow(dense!, vec.weighted, row, vec.dimensions);
    }
  }

  if (!hasHan) return;
  // 4. Han character n-grams over runs of adjacent Han characters.
  let hanMax = 0;
  let hanMask = 0;
  for (const n of config.hanCharNgrams) {
    if (n > hanMax) hanMax = n;
    hanMask |= 1 << n;
  }
  for (let t = 0; t < nTok; ) {
    if (tokKind[t] !== KIND_HAN) {
      t++;
      continue;
    }
    let e = t + 1;
    while (e < nTok && tokKind[e] === KIND_HAN && tokStart[e] === tokEnd[e - 1]) e++;
    if (hanMax > 0) {
      for (let s = t; s < e; s++) {
        let h = SEED_HAN;
        for (let n = 1; n <= hanMax && s + n <= e; n++) {
          h = fnv(h, norm.codePointAt(tokStart[s + n - 1]!)!);
          if (hanMask & (1 << n)) out.push(fmix(h));
        }
      }
    }
    const run = norm.slice(tokStart[t]!, tokEnd[e - 1]!);
    if (config.lexicon) {
      const concepts = conceptScratch;
      concepts.length = 0;
      chineseConcepts(run, concepts);
      for (const id of concepts) for (let r = 0; r < CONCEPT_REPEAT; r++) out.push(fmix(fnv(SEED_CONCEPT, id)));
    }
    // The words of runs up to two characters are already covered by the character n-grams and
    // by the greedy dictionary match: jieba only runs on longer runs.
    const words = e - t > 2 && config.segment !== false && (config.hanWords || config.dictionary) ? segmentHan(run) : NO_WORDS;
    if (config.hanWords) {
      for (const word of words) {
        if (word.length > 1) out.push(fmix(fnvString(SEED_HANWORD, word)));
      }
    }
    if (config.dictionary) {
      const lemmas = lemmaScratch;
      lemmas.length = 0;
      chineseLemmas(run, words, lemmas);
      for (const id of lemmas) for (let r = 0; r < DICT_REPEAT; r++) out.push(fmix(fnv(SEED_DICT, id)));
      if (vec !== null) {
        for (const id of lemmas) {
          const row = vec.dictionaryRows[id]!;
          if (row >= 0) addRow(dense!, vec.weighted, row, vec.dimensions);
        }
      }
    }
    t = e;
  }
}

function addRow(dense: Float32Array, table: Float32Array, row: number, dims: number): void {
  const base = row * dims;
  for (let d = 0; d < dims; d++) dense[d] = dense[d]! + table[base + d]!;
}

function emitCharNgrams(codes: readonly number[], maxN: number, mask: number, seed: number, out: number[]): void {
  const len = codes.length;
  for (let i = 0; i < len; i++) {
    let h = seed;
    for (let n = 1; n <= maxN && i + n <= len; n++) {
      h = fnv(h, codes[i + n - 1]!);
      if (mask & (1 << n)) out.push(fmix(h));
    }
  }
}

/** Dimensions of the dense part of a config's features (0 without word vectors). */
export function denseDimensions(config: FeatureConfig): number {
  return config.wordVectors ? wordVectors().dimensions : 0;
}

/** Sparse hashes and dense word-vector sum of a raw text (normalized for matching first). */
export function extractFeatures(text: string, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): TextFeatures {
  const dims = denseDimensions(config);
  const dense = dims > 0 ? new Float32Array(dims) : null;
  const hashes: number[] = [];
  featureHashesOfNormalized(normalizeForMatching(text), config, hashes, dense);
  return { hashes, dense };
}

/** Hashed features of a raw text (normalized for matching first). */
export function featureHashes(text: string, config: FeatureConfig = DEFAULT_FEATURE_CONFIG, out: number[] = [], dense: Float32Array | null = null): number[] {
  featureHashesOfNormalized(normalizeForMatching(text), config, out, dense);
  return out;
}
