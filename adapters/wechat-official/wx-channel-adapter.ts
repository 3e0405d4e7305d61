import type { TextChannelDelivery } from '../../src/config/text-channel.js';
import type { FeatureDeps } from '../../src/feature.js';
import type { Logger } from '../../src/logger.js';
import { createDedupeStore } from '../shared/dedupe-store.js';
import { RateLimiter } from '../shared/rate-limiter.js';
import { TextChannelAdapter, type ChatTransport } from '../shared/text-channel-adapter.js';
import { renderForWechat, WECHAT_CAPABILITIES } from '../wechat/render.js';

/** WeChat's API channels send text only, a few messages a second per user at most. */
const DELIVERY: TextChannelDelivery = {
  maxTextLength: WECHAT_CAPABILITIES.maxTextLength,
  perChatPerSecond: 5,
  overallPerSecond: 50,
  sendAttempts: 3,
  retryBaseMs: 500,
  dedupeTtlSeconds: 24 * 60 * 60,
  required: false,
};

/**
 * The shared TextChannelAdapter for a WeChat API channel (Official Account, WeCom): WeChat's text
 * rendering (numbered choices, "text only" for media), dedupe in Redis when configured, and the
 * bot's pipeline attached.
 */
export function createWxChannelAdapter(deps: FeatureDeps, channelId: string, transport: ChatTransport, logger: Logger): TextChannelAdapter {
  const adapter = new TextChannelAdapter({
    channelId,
    render: (activity, wording) => renderForWechat(activity, wording),
    transport,
    i18n: deps.i18n,
    logger,
    dedupe: createDedupeStore(deps.redis, deps.config.redis?.keyPrefix ?? 'carebot', DELIVERY.dedupeTtlSeconds),
    limiter: new RateLimiter({ perChatPerSecond: DELIVERY.perChatPerSecond, overallPerSecond: DELIVERY.overallPerSecond }),
    retry: { attempts: DELIVERY.sendAttempts, baseDelayMs: DELIVERY.retryBaseMs },
  });
  deps.bot.attachTo(adapter);
  return adapter;
}

/** The Redis key of a platform's shared access token (one hash tag, so the token and its lock share a slot). */
export function accessTokenKey(deps: FeatureDeps, channelId: string, accountId: string): string {
  return `${deps.config.redis?.keyPrefix ?? 'carebot'}:{access-token-${channelId}-${accountId}}`;
}
