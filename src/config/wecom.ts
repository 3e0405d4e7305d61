import { z } from 'zod';
import { defineConfigSection, invalidSetting, optionalString, positiveInt } from './section.js';
import { wxLocale, type WxLocale } from './wechat-official.js';

/** Settings of the WeCom channel (README.md "### WeCom" lists them). */
export type WecomSettings =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      readonly corpId: string;
      readonly agentId: string;
      readonly secret: string;
      readonly token: string;
      readonly aesKey: string;
      readonly apiBaseUrl: string;
      /** How long a user's department (from user/get) is reused before it is asked again. */
      readonly userCacheSeconds: number;
      /** The app's language for greetings and menu answers when nothing else tells the user's; undefined: DEFAULT_LOCALE. */
      readonly defaultLocale: WxLocale | undefined;
    };

const shape = {
  WECOM_CORP_ID: optionalString,
  WECOM_AGENT_ID: optionalString.pipe(z.string().regex(/^\d+$/, 'expected the numeric AgentId').optional()),
  WECOM_SECRET: optionalString,
  WECOM_TOKEN: optionalString,
  WECOM_AES_KEY: optionalString.pipe(z.string().regex(/^[A-Za-z0-9+/]{43}$/, 'expected the 43-character EncodingAESKey').optional()),
  WECOM_API_BASE_URL: z.url({ message: 'expected an absolute URL' }).default('https://qyapi.weixin.qq.com'),
  WECOM_USER_CACHE_SECONDS: positiveInt.default(3600),
  WECOM_DEFAULT_LOCALE: wxLocale,
};

export const wecomConfigSection = defineConfigSection(shape, (values): WecomSettings => {
  const required = {
    WECOM_CORP_ID: values.WECOM_CORP_ID,
    WECOM_AGENT_ID: values.WECOM_AGENT_ID,
    WECOM_SECRET: values.WECOM_SECRET,
    WECOM_TOKEN: values.WECOM_TOKEN,
    WECOM_AES_KEY: values.WECOM_AES_KEY,
  };
  if (Object.values(required).every((value) => value === undefined)) return { enabled: false };
  const missing = Object.entries(required).find(([, value]) => value === undefined);
  if (missing) invalidSetting(missing[0], undefined, 'required with the other WECOM_* settings');
  return {
    enabled: true,
    corpId: values.WECOM_CORP_ID!,
    agentId: values.WECOM_AGENT_ID!,
    secret: values.WECOM_SECRET!,
    token: values.WECOM_TOKEN!,
    aesKey: values.WECOM_AES_KEY!,
    apiBaseUrl: values.WECOM_API_BASE_URL.replace(/\/+$/, ''),
    userCacheSeconds: values.WECOM_USER_CACHE_SECONDS,
    defaultLocale: values.WECOM_DEFAULT_LOCALE,
  };
});
