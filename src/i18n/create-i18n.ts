import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n, type Resource } from 'i18next';
import { SUPPORTED_LOCALES, type Locale } from '../config.js';
import { ContentError } from '../errors.js';

export type { i18n as I18n } from 'i18next';

/**
 * Reads every `locales/<lng>/<namespace>.json` and returns a private i18next instance
 * (never the global one). zh-TW and zh-HK fall back to each other before zh-CN and English,
 * so a missing string is shown in the closest script, never as a raw key.
 */
export async function createI18n(localesDir: string, defaultLocale: Locale = 'en'): Promise<i18n> {
  const resources: Resource = {};
  const namespaces = new Set<string>();
  for (const locale of SUPPORTED_LOCALES) {
    resources[locale] = {};
    let files: string[];
    try {
      files = readdirSync(join(localesDir, locale)).filter((file) => file.endsWith('.json'));
    } catch {
      continue;
    }
    for (const file of files) {
      const path = join(localesDir, locale, file);
      const namespace = file.slice(0, -'.json'.length);
      try {
        resources[locale][namespace] = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      } catch (error) {
        throw new ContentError(`${path}: ${(error as Error).message}`, { cause: error });
      }
      namespaces.add(namespace);
    }
  }
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    lng: defaultLocale,
    supportedLngs: [...SUPPORTED_LOCALES],
    load: 'currentOnly',
    ns: [...namespaces],
    defaultNS: 'common',
    fallbackLng: {
      'zh-HK': ['zh-TW', 'zh-CN', 'en'],
      'zh-TW': ['zh-HK', 'zh-CN', 'en'],
      'zh-CN': ['en'],
      default: ['en'],
    },
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  return instance;
}
