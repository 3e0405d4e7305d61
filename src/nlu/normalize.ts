import { cantoneseToMandarin, mayContainCantonese } from './cantonese.js';
import { toSimplified, toSimplifiedChars } from './chinese-script.js';

/**
 * Unicode NFKC (full-width → half-width, compatibility forms), case folding, and
 * whitespace cleanup. Script and dialect are kept: this is what entity extractors read.
 */
export function normalizeWidthAndCase(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

// Anything that is not a letter, digit or mark becomes a separator; apostrophes inside
// words are dropped ("what's" → "whats") so English contractions stay one token.
const INNER_APOSTROPHE_RE = /(?<=\p{L})['’](?=\p{L})/gu;
const NON_WORD_RE = /[^\p{L}\p{N}\p{M}]+/gu;
// eslint-disable-next-line no-control-regex
const NON_ASCII_RE = /[^\u0000-\u007f]/u;

function isAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/** The ASCII-only case of `normalizeForMatching`, without regular expressions. */
function normalizeAscii(text: string): string {
  let out = '';
  let pendingSpace = false;
  const len = text.length;
  let runStart = -1;
  for (let i = 0; i <= len; i++) {
    let c = i < len ? text.charCodeAt(i) : 32;
    if (c >= 65 && c <= 90) c += 32;
    if (isAlnum(c)) {
      if (runStart < 0) runStart = i;
      continue;
    }
    // An apostrophe between two letters joins them.
    if (c === 39 && runStart >= 0 && i + 1 < len) {
      const prev = text.charCodeAt(i - 1) | 32;
      const next = text.charCodeAt(i + 1) | 32;
      if (prev >= 97 && prev <= 122 && next >= 97 && next <= 122) {
        if (pendingSpace && out.length > 0) out += ' ';
        pendingSpace = false;
        out += text.slice(runStart, i).toLowerCase();
        runStart = i + 1;
        continue;
      }
    }
    if (runStart >= 0) {
      if (pendingSpace && out.length > 0) out += ' ';
      out += text.slice(runStart, i).toLowerCase();
      runStart = -1;
    }
    pendingSpace = true;
  }
  return out;
}

/**
 * The canonical form used for matching: width and case folded, Cantonese colloquial words
 * mapped to Mandarin, Traditional converted to Simplified, punctuation and emoji removed.
 * Never shown to users.
 */
export function normalizeForMatching(text: string): string {
  if (memo.active) {
    if (text !== memo.text) {
      memo.result = normalizeOnce(text);
      memo.text = text;
    }
    return memo.result;
  }
  return normalizeOnce(text);
}

/**
 * While `work` runs, `normalizeForMatching` remembers its last text and answer: understanding
 * one message normalizes it for the classifier and again for sentiment (~5 us a message).
 * Only for the duration of the (synchronous) call, so no message text stays behind in memory.
 */
export function withNormalizedTextShared<T>(work: () => T): T {
  if (memo.active) return work();
  memo.active = true;
  try {
    return work();
  } finally {
    memo.active = false;
    memo.text = undefined;
    memo.result = '';
  }
}

const memo: { active: boolean; text: string | undefined; result: string } = { active: false, text: undefined, result: '' };

function normalizeOnce(text: string): string {
  if (!NON_ASCII_RE.test(text)) return normalizeAscii(text);
  const folded = normalizeWidthAndCase(text);
  const mandarin = mayContainCantonese(folded) ? cantoneseToMandarin(folded) : folded;
  // Text already in Simplified script passes the memoised per-character check unchanged;
  // Traditional text goes through OpenCC's phrase-aware conversion (計畫 → 计划).
  const simplified = toSimplifiedChars(mandarin) === mandarin ? mandarin : toSimplified(mandarin);
  return simplified.replace(INNER_APOSTROPHE_RE, '').replace(NON_WORD_RE, ' ').trim();
}
