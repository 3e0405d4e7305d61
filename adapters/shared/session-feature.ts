import qrcodeTerminal from 'qrcode-terminal';
import type { Channel } from '../../src/channels/channel-registry.js';
import type { TextChannelDelivery } from '../../src/config/text-channel.js';
import type { CarebotFeature, FeatureDeps } from '../../src/feature.js';
import { createDedupeStore } from './dedupe-store.js';
import { createReplyQueue } from './reply-queue.js';
import type { SessionChannelOptions } from './session-channel.js';
import type { TextChannelAdapter } from './text-channel-adapter.js';

/** A logged-in chat-app channel (WeChat, WhatsApp) as the feature factory builds it. */
export interface SessionChannel extends Channel {
  readonly adapter: TextChannelAdapter;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The feature around a session channel: the shared bot pipeline, dedupe (Redis when
 * configured), the reply queue (Redis) and the terminal QR code, started and stopped together.
 */
export function sessionChannelFeature(
  deps: FeatureDeps,
  channelId: string,
  delivery: TextChannelDelivery,
  build: (options: SessionChannelOptions) => SessionChannel,
): CarebotFeature {
  // The worker sends through the channel built just below; no job runs before start().
  const replyQueue = createReplyQueue(deps, channelId, delivery, (message) => channel.adapter.deliverQueued(message));
  const channel = build({
    logic: (context) => deps.bot.run(context),
    attach: (adapter) => deps.bot.attachTo(adapter),
    i18n: deps.i18n,
    logger: deps.logger,
    delivery,
    dedupe: createDedupeStore(deps.redis, deps.config.redis?.keyPrefix ?? 'carebot', delivery.dedupeTtlSeconds),
    printQrCode: (qrCode) => qrcodeTerminal.generate(qrCode, { small: true }),
    replyQueue,
    logPseudonym: deps.logPseudonym,
  });
  return {
    name: channelId,
    channels: [channel],
    async start() {
      await channel.start();
      await replyQueue?.start();
    },
    async eraseUser(userId) {
      // Replies still queued to the user (Redis); nothing else of theirs is kept by the channel.
      return { queuedReplies: (await replyQueue?.eraseUser(userId)) ?? 0 };
    },
    async close() {
      await channel.stop();
      await replyQueue?.close();
    },
  };
}
