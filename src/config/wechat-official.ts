import { z } from 'zod';
import { blankAsUnset, defineConfigSection, invalidSetting, optionalString, positiveInt } from './section.js';

/** Settings of the WeChat Official Account channel (README.md "### WeChat Official Account" lists them). */
export type WechatOfficialSettings =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      readonly token: string;
      readonly appId: string;
      readonly appSecret: string;
      /** EncodingAESKey: set for safe (or compatible) mode; unset for plain mode. */
      readonly aesKey: string | undefined;
      readonly apiBaseUrl: string;
      /** How long a callback waits for the first reply to send it passively (WeChat waits 5 s). */
      readonly replyBudgetMs: number;
      /** Menu CLICK EventKeys → intent ids (checked against the loaded packs at startup); keys `intent:<id>` need no entry. */
      readonly menu: Readonly<Record<string, string>>;
      /** The account's language for greetings and menu answers when nothing else tells the user's; undefined: DEFAULT_LOCALE. */
      readonly defaultLocale: WxLocale | undefined;
    };

/** A carebot locale (config.ts SUPPORTED_LOCALES, not imported: config.ts imports this file). */
export type WxLocale = 'en' | 'zh-CN' | 'zh-TW' | 'zh-HK';

/** WECHAT_OFFICIAL_DEFAULT_LOCALE, WECOM_DEFAULT_LOCALE. */
export const wxLocale = blankAsUnset(z.enum(['en', 'zh-CN', 'zh-TW', 'zh-HK'], { message: 'expected one of en, zh-CN, zh-TW, zh-HK' }).optional());

const aesKey = optionalString.pipe(z.string().regex(/^[A-Za-z0-9+/]{43}$/, 'expected the 43-character EncodingAESKey').optional());

const shape = {
  WECHAT_OFFICIAL_TOKEN: optionalString,
  WECHAT_OFFICIAL_APP_ID: optionalString,
  WECHAT_OFFICIAL_APP_SECRET: optionalString,
  WECHAT_OFFICIAL_AES_KEY: aesKey,
  WECHAT_OFFICIAL_API_BASE_URL: z.url({ message: 'expected an absolute URL' }).default('https://api.weixin.qq.com'),
  WECHAT_OFFICIAL_REPLY_BUDGET_MS: positiveInt.max(4800, 'expected at most 4800 (WeChat waits 5 s)').default(4000),
  WECHAT_OFFICIAL_MENU: optionalString,
  WECHAT_OFFICIAL_DEFAULT_LOCALE: wxLocale,
};

const menuSchema = z.record(z.string().min(1), z.string().min(1));

export const wechatOfficialConfigSection = defineConfigSection(shape, (values): WechatOfficialSettings => {
  const required = { WECHAT_OFFICIAL_TOKEN: values.WECHAT_OFFICIAL_TOKEN, WECHAT_OFFICIAL_APP_ID: values.WECHAT_OFFICIAL_APP_ID, WECHAT_OFFICIAL_APP_SECRET: values.WECHAT_OFFICIAL_APP_SECRET };
  const present = Object.entries(required).filter(([, value]) => value !== undefined);
  if (present.length === 0) return { enabled: false };
  const missing = Object.entries(required).find(([, value]) => value === undefined);
  if (missing) invalidSetting(missing[0], undefined, 'required with the other WECHAT_OFFICIAL_* settings');
  let menu: Record<string, string> = {};
  if (values.WECHAT_OFFICIAL_MENU) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values.WECHAT_OFFICIAL_MENU);
    } catch {
      invalidSetting('WECHAT_OFFICIAL_MENU', values.WECHAT_OFFICIAL_MENU, 'expected JSON such as {"MENU_LOST_CARD":"bank.lost_card"}');
    }
    const checked = menuSchema.safeParse(parsed);
    if (!checked.success) invalidSetting('WECHAT_OFFICIAL_MENU', values.WECHAT_OFFICIAL_MENU, 'expected a JSON object of menu key → intent id');
    menu = checked.data;
  }
  return {
    enabled: true,
    token: values.WECHAT_OFFICIAL_TOKEN!,
    appId: values.WECHAT_OFFICIAL_APP_ID!,
    appSecret: values.WECHAT_OFFICIAL_APP_SECRET!,
    aesKey: values.WECHAT_OFFICIAL_AES_KEY,
    apiBaseUrl: values.WECHAT_OFFICIAL_API_BASE_URL.replace(/\/+$/, ''),
    replyBudgetMs: values.WECHAT_OFFICIAL_REPLY_BUDGET_MS,
    menu,
    defaultLocale: values.WECHAT_OFFICIAL_DEFAULT_LOCALE,
  };
});
