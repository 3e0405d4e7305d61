import { z } from 'zod';
import { buildDelivery, deliveryShape, type TextChannelDelivery } from './text-channel.js';
import { blankAsUnset, defineConfigSection, invalidSetting, optionalString } from './section.js';

/**
 * A carebot locale (config.ts SUPPORTED_LOCALES, not imported: config.ts imports this file) →
 * the WhatsApp template language code of its approved translation.
 */
export type TemplateLanguages = Readonly<Record<'en' | 'zh-CN' | 'zh-TW' | 'zh-HK', string>>;

/** Settings of the WhatsApp Business Platform (Cloud API) feature (README.md "### WhatsApp Business Platform (Cloud API)"). */
export type WhatsappCloudSettings =
  | { readonly enabled: false }
  | (TextChannelDelivery & {
      readonly enabled: true;
      /** Echoed back by GET /webhooks/whatsapp when Meta verifies the callback URL. */
      readonly verifyToken: string;
      /** Key of the X-Hub-Signature-256 HMAC over each webhook body. */
      readonly appSecret: string;
      /** Bearer token of the Graph API (a system user's permanent token). */
      readonly accessToken: string;
      readonly phoneNumberId: string;
      /** Graph API root including its version; tests point it at a local fake. */
      readonly apiBaseUrl: string;
      /**
       * The approved template a proactive message goes as outside the 24-hour customer-service
       * window (one body variable, `{{1}}`, carries the text); undefined: such messages fail.
       */
      readonly templateName: string | undefined;
      readonly templateLanguages: TemplateLanguages;
    });

const REQUIRED = ['WHATSAPP_CLOUD_VERIFY_TOKEN', 'WHATSAPP_CLOUD_APP_SECRET', 'WHATSAPP_CLOUD_ACCESS_TOKEN', 'WHATSAPP_CLOUD_PHONE_NUMBER_ID'] as const;
const DEFAULT_TEMPLATE_LANGUAGES: TemplateLanguages = { en: 'en', 'zh-CN': 'zh_CN', 'zh-TW': 'zh_TW', 'zh-HK': 'zh_HK' };

// The Cloud API is on when its credentials are present: no separate *_ENABLED switch.
const { WHATSAPP_CLOUD_ENABLED: _enabled, ...delivery } = deliveryShape('WHATSAPP_CLOUD', { maxTextLength: 4096, perChat: 1, overall: 20 });

const shape = {
  ...delivery,
  WHATSAPP_CLOUD_VERIFY_TOKEN: optionalString,
  WHATSAPP_CLOUD_APP_SECRET: optionalString,
  WHATSAPP_CLOUD_ACCESS_TOKEN: optionalString,
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: optionalString.pipe(z.string().regex(/^\d+$/, 'expected the numeric phone number id from the WhatsApp Manager').optional()),
  WHATSAPP_CLOUD_API_BASE_URL: blankAsUnset(z.url({ message: 'expected an absolute URL such as https://graph.facebook.com/v21.0' }).default('https://graph.facebook.com/v21.0')),
  WHATSAPP_CLOUD_TEMPLATE_NAME: optionalString.pipe(z.string().regex(/^[a-z0-9_]+$/, 'expected a template name: lower-case letters, digits and "_"').optional()),
  WHATSAPP_CLOUD_TEMPLATE_LANGUAGES: optionalString,
};

export const whatsappCloudConfigSection = defineConfigSection(shape, (values): WhatsappCloudSettings => {
  const missing = REQUIRED.filter((name) => !values[name]);
  if (missing.length === REQUIRED.length) return { enabled: false };
  if (missing.length > 0) {
    const present = REQUIRED.filter((name) => values[name]).join(', ');
    invalidSetting(missing[0]!, undefined, `required with ${present} (the WhatsApp Cloud API channel needs ${REQUIRED.join(', ')}); missing: ${missing.join(', ')}`);
  }
  return {
    enabled: true,
    ...buildDelivery(values, 'WHATSAPP_CLOUD'),
    verifyToken: values.WHATSAPP_CLOUD_VERIFY_TOKEN!,
    appSecret: values.WHATSAPP_CLOUD_APP_SECRET!,
    accessToken: values.WHATSAPP_CLOUD_ACCESS_TOKEN!,
    phoneNumberId: values.WHATSAPP_CLOUD_PHONE_NUMBER_ID!,
    apiBaseUrl: values.WHATSAPP_CLOUD_API_BASE_URL.replace(/\/+$/u, ''),
    templateName: values.WHATSAPP_CLOUD_TEMPLATE_NAME,
    templateLanguages: parseTemplateLanguages(values.WHATSAPP_CLOUD_TEMPLATE_LANGUAGES),
  };
});

/** "zh-HK=zh_HK,en=en_US": unnamed locales keep their default code. */
function parseTemplateLanguages(value: string | undefined): TemplateLanguages {
  const languages: Record<string, string> = { ...DEFAULT_TEMPLATE_LANGUAGES };
  for (const pair of (value ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const [locale, code] = pair.split('=').map((part) => part.trim());
    if (!locale || !code || !(locale in DEFAULT_TEMPLATE_LANGUAGES) || !/^[A-Za-z]{2,3}(_[A-Za-z]{2,4})?$/u.test(code)) {
      invalidSetting('WHATSAPP_CLOUD_TEMPLATE_LANGUAGES', value, `expected locale=code pairs such as "zh-HK=zh_HK,en=en_US" for the locales ${Object.keys(DEFAULT_TEMPLATE_LANGUAGES).join(', ')}`);
    }
    languages[locale] = code;
  }
  return languages as TemplateLanguages;
}
