import type { CarebotFeature, FeatureDeps } from '../../src/feature.js';
import type { InboundMessage } from '../shared/text-channel-adapter.js';
import { postWithToken } from '../wechat-official/wechat-api.js';
import { WxBizMsgCrypt } from '../wechat-official/wx-biz-msg-crypt.js';
import { createWxFeature } from '../wechat-official/wx-feature.js';
import { WecomDepartments } from './wecom-departments.js';

const WECOM_CHANNEL_ID = 'wecom';

/**
 * The WeCom (企业微信) self-built app channel, when every WECOM_* setting is present: encrypted
 * callbacks at /webhooks/wecom, replies through `/cgi-bin/message/send` with the app's own
 * access_token. The sender's `userid` is the activity's `from.id` and their department comes
 * from `user/get`, so the identity directory (ids: ["wecom:<userid>"] for a person,
 * ["wecom-department:<id>"] for a department) knows the employee's city and department.
 */
export async function createWecomFeature(deps: FeatureDeps): Promise<CarebotFeature | undefined> {
  const settings = deps.config.wecom;
  if (!settings.enabled) return undefined;
  const base = settings.apiBaseUrl;
  return createWxFeature(deps, {
    channelId: WECOM_CHANNEL_ID,
    path: '/webhooks/wecom',
    accountId: `${settings.corpId}-${settings.agentId}`,
    tokenUrl: `${base}/cgi-bin/gettoken?corpid=${encodeURIComponent(settings.corpId)}&corpsecret=${encodeURIComponent(settings.secret)}`,
    callbackToken: settings.token,
    crypt: new WxBizMsgCrypt(settings.token, settings.aesKey, settings.corpId),
    plainSignature: false,
    // WeCom app menus use the `intent:<id>` key convention.
    menu: {},
    defaultLocale: settings.defaultLocale ?? deps.config.defaultLocale,
    platform: (tokens) => {
      const departments = new WecomDepartments({
        apiBaseUrl: base,
        tokens,
        redis: deps.redis,
        keyPrefix: deps.config.redis?.keyPrefix ?? 'carebot',
        ttlSeconds: settings.userCacheSeconds,
        logger: deps.logger.child({ channelId: WECOM_CHANNEL_ID }),
      });
      return {
        async send(userId, text) {
          await postWithToken(base, '/cgi-bin/message/send', { touser: userId, msgtype: 'text', agentid: Number(settings.agentId), text: { content: text } }, tokens);
        },
        async enrich(message) {
          const userId = message.activity.from?.id;
          const department = userId ? await departments.departmentOf(userId) : undefined;
          return department === undefined ? message : withDepartment(message, department);
        },
        async eraseUser(userId) {
          return { wecomDepartment: await departments.erase(userId) };
        },
      };
    },
  });
}

function withDepartment(message: InboundMessage, department: string): InboundMessage {
  const from = message.activity.from!;
  const properties = (from.properties ?? {}) as Record<string, unknown>;
  return { ...message, activity: { ...message.activity, from: { ...from, properties: { ...properties, [WECOM_CHANNEL_ID]: { department } } } } };
}
