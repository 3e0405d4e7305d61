import type { CarebotFeature, FeatureDeps } from '../../src/feature.js';
import { AccessTokenCache } from './access-token-cache.js';
import { PassiveReplies } from './passive-replies.js';
import { fetchAccessToken, postWithToken } from './wechat-api.js';
import { accessTokenKey, createWxChannelAdapter } from './wx-channel-adapter.js';
import { WxBizMsgCrypt } from './wx-biz-msg-crypt.js';
import { WxCallbackChannel } from './wx-callback-channel.js';
import { createWxCallbackRouter } from './wx-callback-router.js';

const WECHAT_OFFICIAL_PATH = '/webhooks/wechat-official';

/**
 * The WeChat Official Account channel, when WECHAT_OFFICIAL_TOKEN, _APP_ID and _APP_SECRET are set:
 * callbacks at /webhooks/wechat-official, the first reply passively within the budget, the
 * rest through the customer-service message API with a shared access_token.
 */
export async function createWechatOfficialFeature(deps: FeatureDeps): Promise<CarebotFeature | undefined> {
  const settings = deps.config.wechatOfficial;
  if (!settings.enabled) return undefined;
  const channelId = 'wechat-official';
  const logger = deps.logger.child({ channelId });
  const base = settings.apiBaseUrl;
  const tokens = new AccessTokenCache({
    redis: deps.redis,
    key: accessTokenKey(deps, channelId, settings.appId),
    fetch: () =>
      fetchAccessToken(
        `${base}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(settings.appId)}&secret=${encodeURIComponent(settings.appSecret)}`,
      ),
  });
  const passive = new PassiveReplies();
  const adapter = createWxChannelAdapter(
    deps,
    channelId,
    {
      sendText: async (openId, text) => {
        if (passive.take(openId, text)) return undefined;
        await postWithToken(base, '/cgi-bin/message/custom/send', { touser: openId, msgtype: 'text', text: { content: text } }, tokens);
        return undefined;
      },
    },
    logger,
  );
  const channel = new WxCallbackChannel({
    channelId,
    adapter,
    logic: (context) => deps.bot.run(context),
    logger,
    token: settings.token,
    crypt: settings.aesKey ? new WxBizMsgCrypt(settings.token, settings.aesKey, settings.appId) : undefined,
    plainSignature: true,
    menu: settings.menu,
    tokens,
    passive: { replies: passive, budgetMs: settings.replyBudgetMs },
  });
  return {
    name: channelId,
    channels: [channel],
    routers: [createWxCallbackRouter(WECHAT_OFFICIAL_PATH, channel, logger)],
    async close() {
      await channel.stop();
    },
  };
}
