import type { Locale } from '../config.js';

/**
 * An explicit request to change the reply language ("please reply in English", "講廣東話",
 * "说普通话"). This is a command, not a topic, so it is recognised before the NLU and wins
 * over the language the message itself is written in.
 */
const REQUESTS: readonly (readonly [RegExp, Locale])[] = [
  [/(廣東話|广东话|粵語|粤语|廣府話|广府话|\bcantonese\b)/iu, 'zh-HK'],
  [/(繁體|繁体|國語|\btraditional chinese\b|\btaiwan(ese)? mandarin\b)/iu, 'zh-TW'],
  [/(普通话|普通話|国语|简体|簡體|\bmandarin\b|\bsimplified chinese\b|\bputonghua\b)/iu, 'zh-CN'],
  [/(\benglish\b|英文|英语|英語)/iu, 'en'],
];

const REQUEST_VERB =
  /(\b(reply|answer|respond|speak|talk|write|switch|change|use|in)\b|請|请|用|講|讲|說|说|改|轉|转|换|換|回覆|回复|答|傾|倾|可唔可以|可以)/iu;

/** The requested locale, or undefined when the message is not a language request. */
export function recognizeLanguageRequest(text: string): Locale | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 60) return undefined;
  for (const [pattern, locale] of REQUESTS) {
    const match = pattern.exec(trimmed);
    if (!match) continue;
    const rest = trimmed.replace(match[0], '').replace(/[\s.,!?！？。，~～]|please|pls|plz|唔該|谢谢|謝謝|吧|啦|喇|呀|嘅|的|可以|thanks?/giu, '');
    // "English" alone, or a language name with a verb ("reply in English", "講廣東話").
    if (rest.length === 0 || REQUEST_VERB.test(trimmed)) return locale;
  }
  return undefined;
}
