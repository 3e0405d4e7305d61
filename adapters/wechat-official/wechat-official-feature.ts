import type { CarebotFeature, FeatureDeps } from '../../src/feature.js';
import { postWithToken } from './wechat-api.js';
import { WxBizMsgCrypt } from './wx-biz-msg-crypt.js';
import { createWxFeature } from './wx-feature.js';

/**
 * The WeChat Official Account channel, when WECHAT_OFFICIAL_TOKEN, _APP_ID and _APP_SECRET are set:
 * callbacks at /webhooks/wechat-official, the first reply passively within the budget, the
 * rest through the customer-service message API with a shared access_token.
 */
export async function createWechatOfficialFeature(deps: FeatureDeps): Promise<CarebotFeature | undefined> {
  const settings = deps.config.wechatOfficial;
  if (!settings.enabled) return undefined;
  const base = settings.apiBaseUrl;
  return createWxFeature(deps, {
    channelId: 'wechat-official',
    path: '/webhooks/wechat-official',
    accountId: settings.appId,
    tokenUrl: `${base}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(settings.appId)}&secret=${encodeURIComponent(settings.appSecret)}`,
    callbackToken: settings.token,
    crypt: settings.aesKey ? new WxBizMsgCrypt(settings.token, settings.aesKey, settings.appId) : undefined,
    plainSignature: true,
    menu: settings.menu,
    defaultLocale: settings.defaultLocale ?? deps.config.defaultLocale,
    passiveBudgetMs: settings.replyBudgetMs,
    platform: (tokens) => ({
      async send(openId, text) {
        await postWithToken(base, '/cgi-bin/message/custom/send', { touser: openId, msgtype: 'text', text: { content: text } }, tokens);
      },
    }),
  });
}
