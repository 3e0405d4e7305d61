import { cantoneseToMandarin } from './cantonese.js';
import { toSimplified } from './chinese-script.js';

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

/**
 * The canonical form used for matching: width and case folded, Cantonese colloquial words
 * mapped to Mandarin, Traditional converted to Simplified, punctuation and emoji removed.
 * Never shown to users.
 */
export function normalizeForMatching(text: string): string {
  const folded = normalizeWidthAndCase(text);
  const mandarin = cantoneseToMandarin(folded);
  const simplified = toSimplified(mandarin);
  return simplified.replace(INNER_APOSTROPHE_RE, '').replace(NON_WORD_RE, ' ').trim();
}
