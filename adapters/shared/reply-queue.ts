import { createBlockingRedis } from '../../src/state/create-redis.js';
import type { TextChannelDelivery } from '../../src/config/text-channel.js';
import type { FeatureDeps } from '../../src/feature.js';
import { BullmqOutboundDelivery } from '../../src/channels/outbound/bullmq-outbound-delivery.js';
import type { OutboundMessage } from '../../src/channels/outbound/outbound-delivery.js';
import { replyQueueName } from '../../src/state/redis-keys.js';

/**
 * With Redis, a session channel's replies are queued (BullMQ) and sent by one worker in this
 * process, the one holding the session, in order: a reply survives a crash between the turn and
 * its delivery, and a delivery that keeps failing is retried and then reported, never dropped.
 * Without Redis (embedded default) replies are sent within the turn.
 */
export function createReplyQueue(
  deps: Pick<FeatureDeps, 'config' | 'logger' | 'redis' | 'logPseudonym'>,
  channelId: string,
  delivery: TextChannelDelivery,
  deliver: (message: OutboundMessage) => Promise<void>,
): BullmqOutboundDelivery | undefined {
  const { redis, config, logger } = deps;
  if (!redis || !config.redis) return undefined;
  const connection = config.redis.connection;
  return new BullmqOutboundDelivery(deliver, {
    // The adapter already retries each send with backoff; these attempts cover a crash mid-delivery.
    attempts: 3,
    backoffMs: delivery.retryBaseMs,
    redis,
    createWorkerConnection: () => createBlockingRedis(connection, logger.child({ channelId }), 'reply queue'),
    keyPrefix: config.redis.keyPrefix,
    logger: logger.child({ channelId, component: 'reply-queue' }),
    channelIds: () => [channelId],
    concurrency: 1,
    queueName: replyQueueName,
    logPseudonym: deps.logPseudonym,
  });
}
