import type { Locale } from '../config.js';
import { countScriptMarkers } from '../nlu/chinese-script.js';
import { detectLanguage } from '../nlu/language-id.js';
import type { DetectedLanguage } from '../nlu/types.js';

const LANGUAGE_LOCALE: Readonly<Record<DetectedLanguage, Locale>> = {
  en: 'en',
  'zh-Hans': 'zh-CN',
  'zh-Hant': 'zh-TW',
  yue: 'zh-HK',
};

const HAS_LETTERS = /[\p{Script=Han}\p{Script=Latin}]/u;
const HAS_HAN = /\p{Script=Han}/u;

/**
 * The reply locale a message asks for by its own language, or undefined when it carries no
 * signal (digits, emoji, "OK"). Chinese written only with characters common to both scripts
 * keeps the user's previous Chinese variety ("好" from a Cantonese speaker is still
 * Cantonese), else the Chinese variety of `hint` (the channel's locale or the deployment's
 * default: a first "你好" on a Hong Kong deployment is answered in Cantonese), else Simplified.
 */
export function localeFromMessage(text: string, previous: Locale | undefined, hint?: Locale): Locale | undefined {
  if (!HAS_LETTERS.test(text)) return undefined;
  // Without a Chinese character the only language carebot tells apart is English.
  const locale = HAS_HAN.test(text) ? LANGUAGE_LOCALE[detectLanguage(text).language] : 'en';
  if (locale === 'en') {
    // A short Latin-only message ("ok", "yes", "2 please") says little when the user writes Chinese.
    return previous && previous !== 'en' && text.trim().length <= 3 ? previous : 'en';
  }
  if (locale === 'zh-HK') return locale;
  const markers = countScriptMarkers(text);
  const scriptNeutral = markers.traditional === 0 && markers.simplified === 0;
  if (scriptNeutral) {
    if (previous && previous !== 'en') return previous;
    if (hint && hint !== 'en') return hint;
  }
  return locale;
}
