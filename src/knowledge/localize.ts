import * as OpenCC from 'opencc-js';
import type { Locale } from '../config.js';
import type { LocalizedInput } from './schema.js';
import type { LocalizedText } from './types.js';

/** Simplified (Mainland) → Traditional with Taiwan phrases (信息 → 資訊, 设置 → 設定). Built once. */
const CN_TO_TW_PHRASES = OpenCC.Converter({ from: 'cn', to: 'twp' });

/**
 * Where OpenCC's Taiwan phrases read wrong in service answers (reviewed on every pack's derived
 * zh-TW text): its programming senses (代码 → 程式碼, 类型 → 型別, 文件 → 檔案, 项目 → 專案),
 * 发布 → 釋出, and Hong Kong forms Taiwan does not write (賬 for 帳, 出租車 for 計程車).
 */
const TW_REVIEWED = OpenCC.CustomConverter([
  ['程式碼', '代碼'],
  ['型別', '類型'],
  ['檔案', '文件'],
  ['專案', '項目'],
  ['釋出', '發布'],
  ['檢視', '查看'],
  ['賬', '帳'],
  ['出租車', '計程車'],
]);

/** 并 is 並 ("and") except in the words where it means "merge" (合併, 兼併, 併購, 一併…). */
const MERGE_BING = /(?<![合兼吞歸归一])併(?![購购發发入案吞])/gu;

/** zh-TW for a zh-CN text: phrase-level conversion, then the reviewed corrections. */
export function toTaiwanMandarin(simplified: string): string {
  return TW_REVIEWED(CN_TO_TW_PHRASES(simplified)).replace(MERGE_BING, '並');
}

/** Fills in zh-TW from zh-CN when the content leaves it out. */
export function completeLocales(input: LocalizedInput): LocalizedText {
  return Object.freeze({
    en: input.en,
    'zh-CN': input['zh-CN'],
    'zh-HK': input['zh-HK'],
    'zh-TW': input['zh-TW'] ?? toTaiwanMandarin(input['zh-CN']),
  });
}

export type TemplateValue = string | number | LocalizedText;

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** Names of the `{placeholders}` in a template. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Replaces `{name}` with its value in `locale`; an unknown name becomes an empty string, never a raw key. */
export function fillTemplate(template: string, locale: Locale, lookup: (name: string) => TemplateValue | undefined): string {
  return template
    .replace(PLACEHOLDER, (_match, name: string) => {
      const value = lookup(name);
      if (value === undefined) return '';
      return typeof value === 'object' ? value[locale] : String(value);
    })
    .trim();
}

/** Plain text for text-to-speech: markdown emphasis, links and list bullets removed. */
export function toSpeech(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
    .replace(/\*\*|__|`/g, '')
    .replace(/^\s*[-*•]\s+/gm, '')
    .replace(/\n{2,}/g, '\n')
    .trim();
}
