import type { Locale } from '../config.js';

/**
 * An explicit request to change the reply language ("please reply in English", "講廣東話",
 * "说普通话"). This is a command, not a topic, so it is recognised before the NLU and wins
 * over the language the message itself is written in.
 *
 * Only a message about the reply language counts: the language's name alone, or governed by
 * a verb of speaking or switching ("reply in", "can you speak", "用", "講返", "轉做"), or asked
 * for ("English please", "廣東話得唔得"). A message that merely mentions a language ("my English
 * name is spelled Chan", "我英文名串錯咗", "I have an English exam") is a question like any other.
 */
const LANGUAGE_NAMES: readonly (readonly [string, Locale])[] = [
  ['廣東話|广东话|粵語|粤语|廣府話|广府话|cantonese', 'zh-HK'],
  ['繁體中文|繁体中文|繁體|繁体|國語|traditional chinese|taiwanese mandarin|taiwan mandarin', 'zh-TW'],
  ['普通话|普通話|国语|简体中文|簡體中文|简体|簡體|mandarin|simplified chinese|putonghua', 'zh-CN'],
  ['english|英文|英语|英語', 'en'],
];

const POLITE = String.raw`(?:please|pls|plz|thanks?|thank you|ok|okay|唔該|唔该|麻煩|麻烦|谢谢|謝謝|請|请|吧|啦|喇|呀|啊|嘅|的|可以|吗|嗎|好嗎|好吗|得唔得|可唔可以|可以嗎|可以吗|好唔好|[\s.,!?！？。，、~～])*`;
const ENGLISH_VERB = String.raw`(?:(?:can|could|would|will) you |do you |please |pls )?(?:reply|answer|respond|speak|talk|write|chat|continue|switch|change|go|type|use|text)(?: back)?(?: to me| with me| me)?(?: (?:in|to|into|with|using))?|in|using`;
const CHINESE_VERB = String.raw`(?:你|妳|您)?(?:可唔可以|可不可以|能不能|能否|可否|識唔識|识唔识|會唔會|会不会|你會|你会|你識|你识|請|请|麻煩|麻烦)?(?:用|講|讲|說|说|轉|转|換|换|改|回覆|回复|答|傾|倾|打)(?:返|番|翻|回|做|成|為|为|用)?`;

const REQUESTS: readonly (readonly [RegExp, Locale])[] = LANGUAGE_NAMES.map(([names, locale]) => [
  new RegExp(String.raw`^${POLITE}(?:(?:${ENGLISH_VERB}|${CHINESE_VERB})\s*)?(?:${names})(?:\s*(?:only|instead|from now on|now|language|回覆|回复|回答|答我|同我講|同我讲|講|讲|說|说|傾|倾|先|啦|吧|喇|好嗎|好吗))?${POLITE}$`, 'iu'),
  locale,
]);

/** The requested locale, or undefined when the message is not a language request. */
export function recognizeLanguageRequest(text: string): Locale | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 60) return undefined;
  return REQUESTS.find(([pattern]) => pattern.test(trimmed))?.[1];
}
