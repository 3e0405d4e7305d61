import type { CarebotFeature, FeatureDeps } from '../../src/feature.js';
import { AccessTokenCache } from '../wechat-official/access-token-cache.js';
import { fetchAccessToken, postWithToken } from '../wechat-official/wechat-api.js';
import { accessTokenKey, createWxChannelAdapter } from '../wechat-official/wx-channel-adapter.js';
import { WxBizMsgCrypt } from '../wechat-official/wx-biz-msg-crypt.js';
import { WxCallbackChannel } from '../wechat-official/wx-callback-channel.js';
import { createWxCallbackRouter } from '../wechat-official/wx-callback-router.js';

const WECOM_PATH = '/webhooks/wecom';

/**
 * The WeCom (企业微信) self-built app channel, when every WECOM_* setting is present: encrypted
 * callbacks at /webhooks/wecom, replies through `/cgi-bin/message/send` with the app's own
 * access_token. The sender's `userid` is the activity's `from.id`, so the identity directory
 * (ids: ["wecom:<userid>"] or the bare userid) knows the employee's city and department.
 */
export async function createWecomFeature(deps: FeatureDeps): Promise<CarebotFeature | undefined> {
  const settings = deps.config.wecom;
  if (!settings.enabled) return undefined;
  const channelId = 'wecom';
  const logger = deps.logger.child({ channelId });
  const base = settings.apiBaseUrl;
  const tokens = new AccessTokenCache({
    redis: deps.redis,
    key: accessTokenKey(deps, channelId, `${settings.corpId}-${settings.agentId}`),
    fetch: () => fetchAccessToken(`${base}/cgi-bin/gettoken?corpid=${encodeURIComponent(settings.corpId)}&corpsecret=${encodeURIComponent(settings.secret)}`),
  });
  const adapter = createWxChannelAdapter(
    deps,
    channelId,
    {
      sendText: async (userId, text) => {
        await postWithToken(base, '/cgi-bin/message/send', { touser: userId, msgtype: 'text', agentid: Number(settings.agentId), text: { content: text } }, tokens);
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
    crypt: new WxBizMsgCrypt(settings.token, settings.aesKey, settings.corpId),
    plainSignature: false,
    menu: {},
    tokens,
  });
  return {
    name: channelId,
    channels: [channel],
    routers: [createWxCallbackRouter(WECOM_PATH, channel, logger)],
    async close() {
      await channel.stop();
    },
  };
}
