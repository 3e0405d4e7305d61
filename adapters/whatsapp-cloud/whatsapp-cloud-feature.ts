import type { CarebotFeature, FeatureDeps } from '../../src/feature.js';
import { createDedupeStore } from '../shared/dedupe-store.js';
import { createReplyQueue } from '../shared/reply-queue.js';
import { GraphClient } from './graph-client.js';
import { MemorySentMessageStore, RedisSentMessageStore } from './sent-message-store.js';
import { whatsappCloudWebhookRouter } from './webhook-router.js';
import { WhatsappCloudChannel } from './whatsapp-cloud-channel.js';
import { MemoryServiceWindowStore, RedisServiceWindowStore } from './window-store.js';
import { WHATSAPP_CLOUD_CHANNEL_ID } from './to-activity.js';

/** The WhatsApp Business Platform (Cloud API) channel, when its credentials are set; undefined otherwise. */
export async function createWhatsappCloudFeature(deps: FeatureDeps): Promise<CarebotFeature | undefined> {
  const settings = deps.config.whatsappCloud;
  if (!settings.enabled) return undefined;
  const { redis, logger } = deps;
  const keyPrefix = deps.config.redis?.keyPrefix ?? 'carebot';
  // Any process can send through the Graph API, so every process runs the reply queue's worker.
  const replyQueue = createReplyQueue(deps, WHATSAPP_CLOUD_CHANNEL_ID, settings, (message) => channel.adapter.deliverQueued(message));
  const window = redis ? new RedisServiceWindowStore(redis, keyPrefix) : new MemoryServiceWindowStore();
  const channel = new WhatsappCloudChannel({
    logic: (context) => deps.bot.run(context),
    attach: (adapter) => deps.bot.attachTo(adapter),
    i18n: deps.i18n,
    logger,
    delivery: settings,
    dedupe: createDedupeStore(redis, keyPrefix, settings.dedupeTtlSeconds),
    client: new GraphClient({ apiBaseUrl: settings.apiBaseUrl, accessToken: settings.accessToken, phoneNumberId: settings.phoneNumberId }),
    window,
    sent: redis ? new RedisSentMessageStore(redis, keyPrefix) : new MemorySentMessageStore(),
    receipts: deps.deliveryReceipts,
    templateName: settings.templateName,
    templateLanguages: settings.templateLanguages,
    replyQueue,
    logPseudonym: deps.logPseudonym,
  });
  // Webhook work under way, each leaving when it settles (close waits for them).
  const inFlight = new Set<Promise<void>>();
  const router = whatsappCloudWebhookRouter({
    channel,
    verifyToken: settings.verifyToken,
    appSecret: settings.appSecret,
    phoneNumberId: settings.phoneNumberId,
    bodyLimitBytes: deps.config.http.bodyLimitBytes,
    logger: logger.child({ channelId: WHATSAPP_CLOUD_CHANNEL_ID }),
    track: (work) => {
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    },
  });
  return {
    name: WHATSAPP_CLOUD_CHANNEL_ID,
    channels: [channel],
    routers: [router],
    async start() {
      await replyQueue?.start();
    },
    async eraseUser(userId) {
      // The window record (last inbound time, keyed by wa_id) and replies still queued to the user.
      return { serviceWindow: await window.erase(userId), queuedReplies: (await replyQueue?.eraseUser(userId)) ?? 0 };
    },
    async close() {
      await Promise.allSettled([...inFlight]);
      await channel.idle();
      await replyQueue?.close();
    },
  };
}
