import { defineConfigSection } from './section.js';

/** Settings of the wechat feature. Add its environment variables here (and to README.md and .env.example). */
export type WechatSettings = Record<string, never>;

export const wechatConfigSection = defineConfigSection({}, (): WechatSettings => ({}));
