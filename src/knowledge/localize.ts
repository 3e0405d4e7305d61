import * as OpenCC from 'opencc-js';
import type { Locale } from '../config.js';
import type { LocalizedInput } from './schema.js';
import type { LocalizedText } from './types.js';

/** Simplified (Mainland) → Traditional (Taiwan). A constant lookup table, built once. */
const CN_TO_TW = OpenCC.Converter({ from: 'cn', to: 'tw' });

/** Fills in zh-TW from zh-CN when the content leaves it out. */
export function completeLocales(input: LocalizedInput): LocalizedText {
  return Object.freeze({
    en: input.en,
    'zh-CN': input['zh-CN'],
    'zh-HK': input['zh-HK'],
    'zh-TW': input['zh-TW'] ?? CN_TO_TW(input['zh-CN']),
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
