import type { Locale } from '../config.js';
import { countScriptMarkers } from '../nlu/chinese-script.js';
import { detectLanguage } from '../nlu/language-id.js';
import { hasTaiwanVocabulary } from '../nlu/taiwan-vocabulary.js';

const HAS_LETTERS = /[\p{Script=Han}\p{Script=Latin}]/u;
const HAS_HAN = /\p{Script=Han}/u;

const isChinese = (locale: Locale | undefined): locale is Exclude<Locale, 'en'> => locale !== undefined && locale !== 'en';
const isTraditional = (locale: Locale | undefined): locale is 'zh-HK' | 'zh-TW' => locale === 'zh-HK' || locale === 'zh-TW';

/**
 * The reply locale a message asks for by its own language, or undefined when it carries no
 * signal (digits, emoji, "OK"). A conversation keeps its variety unless the user clearly
 * writes another:
 * - Cantonese markers (唔, 嘅, 點樣…) mean Cantonese; Simplified characters mean Mainland Mandarin.
 * - Chinese that either script could have written ("好", "你好") keeps the user's previous Chinese
 *   variety, else the Chinese variety of `hint` (the user's directory language, the channel's
 *   locale or the deployment's default), else Simplified.
 * - Traditional text without Cantonese markers ("多謝", "請問這張卡的額度") is what Hong Kong
 *   writes too, so it is Taiwanese Mandarin only with Taiwan evidence: Taiwan vocabulary, or a
 *   previous or hinted zh-TW (a Taiwan channel locale, a +886 number, the directory). Otherwise it
 *   keeps a Cantonese conversation Cantonese, and starts one in Cantonese.
 */
export function localeFromMessage(text: string, previous: Locale | undefined, hint?: Locale): Locale | undefined {
  if (!HAS_LETTERS.test(text)) return undefined;
  if (!HAS_HAN.test(text)) {
    // A short Latin-only message ("ok", "yes", "2 please") says little when the user writes Chinese.
    return isChinese(previous) && text.trim().length <= 3 ? previous : 'en';
  }
  const { language } = detectLanguage(text);
  if (language === 'en') return 'en';
  if (language === 'yue') return 'zh-HK';
  const markers = countScriptMarkers(text);
  if (markers.traditional === 0 && markers.simplified === 0) {
    if (isChinese(previous)) return previous;
    return isChinese(hint) ? hint : 'zh-CN';
  }
  if (language === 'zh-Hans') return 'zh-CN';
  if (hasTaiwanVocabulary(text)) return 'zh-TW';
  if (isTraditional(previous)) return previous;
  return hint === 'zh-TW' ? 'zh-TW' : 'zh-HK';
}
