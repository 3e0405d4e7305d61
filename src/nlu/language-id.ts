import { CANTONESE_MARKERS } from './cantonese.js';
import { countScriptMarkers, HAN_RE } from './chinese-script.js';
import type { DetectedLanguage, LanguageDetection } from './types.js';

const MARKER_KEYS = Object.keys(CANTONESE_MARKERS).sort((a, b) => b.length - a.length);
const MARKER_RE = new RegExp(MARKER_KEYS.join('|'), 'gu');
// Mandarin words containing a character that is otherwise a Cantonese marker.
const MANDARIN_LOOKALIKES_RE = /關係|联係|聯係|係數|係統|仲裁|仲介|咪咪|喇叭|喇嘛|乜斜/gu;
const LATIN_WORD_RE = /[a-z]{2,}/giu;
const HAN_GLOBAL_RE = new RegExp(HAN_RE.source, 'gu');

// Cantonese grammar that uses characters shared with Mandarin, each worth 1:
// verb + 下 after an English verb ("check下"), and possessive classifiers (我個 bill,
// 你部機, 佢架車) where Mandarin needs 的 ("我个人" is Mandarin and excluded).
const GRAMMAR_RES: readonly RegExp[] = [
  /[a-z]下/giu,
  /(?:我|你|佢|我哋|你哋)(?:個(?!人)|个(?!人)|部(?![門门分])|架|張|张|隻|間|间)/gu,
];

/** Cantonese-marker score of a text (see CANTONESE_MARKERS and the grammar patterns). */
export function cantoneseScore(text: string): number {
  const cleaned = text.replace(MANDARIN_LOOKALIKES_RE, ' ');
  let score = 0;
  for (const m of cleaned.matchAll(MARKER_RE)) score += CANTONESE_MARKERS[m[0]] ?? 0;
  if (score > 0 || /[下個个部架張张隻間间]/u.test(cleaned)) {
    for (const re of GRAMMAR_RES) score += cleaned.match(re)?.length ?? 0;
  }
  return score;
}

/**
 * Identifies `en`, `zh-Hans`, `zh-Hant` or `yue` with a `mixed` flag for Chinese/English
 * code-mixing. Rule based, so it works on two-character messages ("余额?", "唔該"):
 * colloquial Cantonese markers decide `yue`, script-specific characters decide
 * Simplified versus Traditional, and Latin words versus Han characters decide the
 * dominant language of mixed text.
 */
export function detectLanguage(text: string): LanguageDetection {
  const folded = text.normalize('NFKC');
  const latinWords = folded.match(LATIN_WORD_RE)?.length ?? 0;
  const hanCount = folded.match(HAN_GLOBAL_RE)?.length ?? 0;
  if (hanCount === 0) {
    return { language: 'en', mixed: false, confidence: latinWords > 0 ? 1 : 0.5 };
  }
  const mixed = latinWords > 0;
  const yue = cantoneseScore(folded);
  // One Han character per ~1.5 in a word: English dominates when it has clearly more
  // words, unless Cantonese particles and grammar carry the sentence ("咩mode、mean？").
  if (mixed && latinWords > hanCount / 1.5 + 1 && yue < 2) {
    return { language: 'en', mixed, confidence: 0.7 };
  }
  const { traditional, simplified } = countScriptMarkers(folded);
  let language: DetectedLanguage;
  let confidence: number;
  if (yue >= 2 || (yue >= 1 && hanCount <= 4)) {
    language = 'yue';
    confidence = Math.min(1, 0.6 + yue * 0.1);
  } else if (traditional > simplified) {
    language = 'zh-Hant';
    confidence = Math.min(1, 0.6 + (traditional - simplified) * 0.1);
  } else if (simplified > traditional) {
    language = 'zh-Hans';
    confidence = Math.min(1, 0.6 + (simplified - traditional) * 0.1);
  } else {
    // Only characters shared by both scripts: Simplified is the more common reading.
    language = 'zh-Hans';
    confidence = 0.5;
  }
  return { language, mixed, confidence };
}
