import type { TextChannelDelivery } from '../../src/config/text-channel.js';
import type { FeatureDeps } from '../../src/feature.js';
import type { OutboundDelivery } from '../../src/channels/outbound/outbound-delivery.js';
import type { Logger } from '../../src/logger.js';
import { RedisKeys } from '../../src/state/redis-keys.js';
import { createDedupeStore } from '../shared/dedupe-store.js';
import { SendPacer } from '../shared/send-pacer.js';
import { TextChannelAdapter, type ChatTransport } from '../shared/text-channel-adapter.js';
import { renderForWechat, WECHAT_CAPABILITIES } from '../wechat/render.js';
import type { SharedTokenKeys } from './access-token-cache.js';
import { isRetryableWechatError } from './wechat-api.js';

/** WeChat's API channels send text only, a few messages a second per user at most. */
export const WX_DELIVERY: TextChannelDelivery = {
  maxTextLength: WECHAT_CAPABILITIES.maxTextLength,
  perChatPerSecond: 5,
  overallPerSecond: 50,
  sendAttempts: 3,
  retryBaseMs: 500,
  dedupeTtlSeconds: 24 * 60 * 60,
  required: false,
};

export interface WxAdapterOptions {
  readonly transport: ChatTransport;
  readonly replyQueue: OutboundDelivery | undefined;
  readonly sendInTurn: ((chatId: string) => boolean) | undefined;
}

/**
 * The shared TextChannelAdapter for a WeChat API channel (Official Account, WeCom): WeChat's text
 * rendering (numbered choices, "text only" for media), dedupe in Redis when configured, retries
 * by the platform's errcodes, and the bot's pipeline attached.
 */
export function createWxChannelAdapter(deps: FeatureDeps, channelId: string, logger: Logger, options: WxAdapterOptions): TextChannelAdapter {
  const adapter = new TextChannelAdapter({
    channelId,
    render: (activity, wording) => renderForWechat(activity, wording),
    transport: options.transport,
    i18n: deps.i18n,
    logger,
    dedupe: createDedupeStore(deps.redis, deps.config.redis?.keyPrefix ?? 'carebot', WX_DELIVERY.dedupeTtlSeconds),
    limiter: new SendPacer({ perChatPerSecond: WX_DELIVERY.perChatPerSecond, overallPerSecond: WX_DELIVERY.overallPerSecond }),
    retry: { attempts: WX_DELIVERY.sendAttempts, baseDelayMs: WX_DELIVERY.retryBaseMs, retryable: isRetryableWechatError },
    replyQueue: options.replyQueue,
    sendInTurn: options.sendInTurn,
    logPseudonym: deps.logPseudonym,
  });
  deps.bot.attachTo(adapter);
  return adapter;
}

/** Where every process shares a platform account's access token, when Redis is configured. */
export function sharedAccessToken(deps: FeatureDeps, channelId: string, accountId: string): SharedTokenKeys | undefined {
  if (!deps.redis || !deps.config.redis) return undefined;
  const keys = new RedisKeys(deps.config.redis.keyPrefix);
  return { redis: deps.redis, key: keys.accessToken(channelId, accountId), lockKey: keys.accessTokenLock(channelId, accountId) };
}
