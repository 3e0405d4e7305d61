import type { Locale } from '../config.js';

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /\p{Script=Latin}{2,}/u;
/** Characters of written Cantonese that standard written Chinese does not use. */
const CANTONESE_MARKERS = /[嘅咗唔係喺冇啲嘢佢哋噉乜嚟咁啱嗰睇揾搵嬲攞畀俾咪嘞喎啩]/u;
/** A few frequent characters whose Traditional and Simplified forms differ. */
const TRADITIONAL_ONLY = /[們個這說話麼來時會對為國過還嗎買賣號碼請問題謝開關餘額卡帳戶銀門點現後們裡經與醫險]/u;
const SIMPLIFIED_ONLY = /[们个这说话么来时会对为国过还吗买卖号码请问题谢开关余额账户银门点现后里经与医险]/u;

/**
 * A script-level guess at the message's language, used until the NLU engine's language
 * identification is wired in. Returns undefined when the text carries no signal (digits, emoji).
 */
export function guessLocale(text: string): Locale | undefined {
  if (HAN.test(text)) {
    if (CANTONESE_MARKERS.test(text)) return 'zh-HK';
    if (TRADITIONAL_ONLY.test(text) && !SIMPLIFIED_ONLY.test(text)) return 'zh-TW';
    return 'zh-CN';
  }
  if (LATIN_WORD.test(text)) return 'en';
  return undefined;
}
