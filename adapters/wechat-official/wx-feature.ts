import type { Locale } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import type { CarebotFeature, ErasureCounts, FeatureDeps } from '../../src/feature.js';
import { createReplyQueue } from '../shared/reply-queue.js';
import type { InboundMessage } from '../shared/text-channel-adapter.js';
import { AccessTokenCache } from './access-token-cache.js';
import { PassiveReplies } from './passive-replies.js';
import { fetchAccessToken } from './wechat-api.js';
import { createWxChannelAdapter, sharedAccessToken, WX_DELIVERY } from './wx-channel-adapter.js';
import type { WxBizMsgCrypt } from './wx-biz-msg-crypt.js';
import { WxCallbackChannel } from './wx-callback-channel.js';
import { createWxCallbackRouter } from './wx-callback-router.js';

/** A menu EventKey of this form asks for the intent it names, with no mapping needed. */
const INTENT_KEY_PREFIX = 'intent:';

/** What the platform's API does for one account, given its cached access token. */
export interface WxPlatform {
  /** Sends one text message to a user; throws (WechatApiError) when the platform refuses it. */
  send(userId: string, text: string): Promise<void>;
  /** Adds what the API knows of the sender before the turn (WeCom: department). */
  enrich?(message: InboundMessage): Promise<InboundMessage>;
  /** Forgets what the platform side cached about the user. */
  eraseUser?(userId: string): Promise<ErasureCounts>;
}

/** One WeChat-family channel (Official Account, WeCom): what differs between them. */
export interface WxChannelSpec {
  readonly channelId: string;
  readonly path: string;
  /** Whose access token it is (app id; corp id + agent id), for its shared Redis key. */
  readonly accountId: string;
  /** The token endpoint, credentials included. */
  readonly tokenUrl: string;
  /** The callback Token both platforms sign with. */
  readonly callbackToken: string;
  readonly crypt: WxBizMsgCrypt | undefined;
  /** The Official Account also signs every request with `signature`; WeCom only with msg_signature. */
  readonly plainSignature: boolean;
  /** Menu EventKeys → intent ids (checked against the loaded packs at startup). */
  readonly menu: Readonly<Record<string, string>>;
  readonly defaultLocale: Locale;
  /** Official Account: the first reply within this budget goes in the callback's HTTP response. */
  readonly passiveBudgetMs?: number | undefined;
  readonly platform: (tokens: AccessTokenCache) => WxPlatform;
}

/**
 * The feature around a WeChat-family channel: shared access token, the shared text adapter (dedupe,
 * order, rate limits, retries by errcode) with the reply queue when Redis is configured, the
 * passive-reply budget, menu intents, and the callback route.
 */
export function createWxFeature(deps: FeatureDeps, spec: WxChannelSpec): CarebotFeature {
  const { channelId } = spec;
  const logger = deps.logger.child({ channelId });
  checkMenu(deps, spec);
  const tokens = new AccessTokenCache({ shared: sharedAccessToken(deps, channelId, spec.accountId), fetch: () => fetchAccessToken(spec.tokenUrl) });
  const platform = spec.platform(tokens);
  const passive = spec.passiveBudgetMs === undefined ? undefined : new PassiveReplies();
  // Any process can send through the API, so every process runs the reply queue's worker.
  const replyQueue = createReplyQueue(deps, channelId, WX_DELIVERY, (message) => adapter.deliverQueued(message));
  const adapter = createWxChannelAdapter(deps, channelId, logger, {
    transport: {
      sendText: async (userId, text) => {
        if (passive?.take(userId, text)) return undefined;
        await platform.send(userId, text);
        return undefined;
      },
    },
    replyQueue,
    sendInTurn: passive ? (chatId) => passive.isOpen(chatId) : undefined,
  });
  const channel = new WxCallbackChannel({
    channelId,
    adapter,
    logic: (context) => deps.bot.run(context),
    logger,
    token: spec.callbackToken,
    crypt: spec.crypt,
    plainSignature: spec.plainSignature,
    menuIntent: (eventKey) => menuIntent(deps, spec, eventKey),
    locale: spec.defaultLocale,
    enrich: platform.enrich ? (message) => platform.enrich!(message) : undefined,
    tokens,
    passive: passive && spec.passiveBudgetMs !== undefined ? { replies: passive, budgetMs: spec.passiveBudgetMs } : undefined,
  });
  return {
    name: channelId,
    channels: [channel],
    routers: [createWxCallbackRouter(spec.path, channel, logger)],
    async start() {
      await replyQueue?.start();
    },
    async eraseUser(userId) {
      return { ...(await platform.eraseUser?.(userId)), queuedReplies: (await replyQueue?.eraseUser(userId)) ?? 0 };
    },
    async close() {
      await channel.stop();
      await replyQueue?.close();
    },
  };
}

/** The intent a menu key asks for, if the packs loaded now have it (a reload may have dropped it). */
function menuIntent(deps: FeatureDeps, spec: WxChannelSpec, eventKey: string): string | undefined {
  const intent = spec.menu[eventKey] ?? (eventKey.startsWith(INTENT_KEY_PREFIX) ? eventKey.slice(INTENT_KEY_PREFIX.length) : undefined);
  return intent && deps.content.current().knowledge.intent(intent) ? intent : undefined;
}

/** A configured menu key must name a loaded intent: a typo fails startup, not a customer's tap. */
function checkMenu(deps: FeatureDeps, spec: WxChannelSpec): void {
  const knowledge = deps.content.current().knowledge;
  const unknown = Object.entries(spec.menu).filter(([, intent]) => !knowledge.intent(intent));
  if (unknown.length > 0) {
    throw new ConfigError(
      `${spec.channelId} menu: ${unknown.map(([key, intent]) => `${key} → ${intent}`).join(', ')}: no such intent in the loaded knowledge packs`,
    );
  }
}
