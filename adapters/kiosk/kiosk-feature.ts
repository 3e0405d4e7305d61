import { isAbsolute, join } from 'node:path';
import { absurdTextChars } from '../../src/bot/inbound-text.js';
import type { Channel, ChannelStatus } from '../../src/channels/channel-registry.js';
import type { CarebotFeature, FeatureDeps } from '../../src/feature.js';
import { clientAddressOf } from '../../src/http/client-address.js';
import { loadKioskDevices, type KioskDevice } from './devices.js';
import { DirectLineApi } from './directline-api.js';
import { KioskAdapter } from './kiosk-adapter.js';
import { kioskContextMiddleware } from './kiosk-middleware.js';
import { kioskPageRouter } from './kiosk-page.js';
import { RequestLimiter } from './request-limiter.js';
import type { ConversationStore } from './store/conversation-store.js';
import { MemoryConversationStore } from './store/memory-conversation-store.js';
import { RedisConversationStore } from './store/redis-conversation-store.js';
import { TokenIssuer } from './tokens.js';
import { createBlockingRedis } from '../../src/state/create-redis.js';

export interface KioskFeatureOptions {
  /** Devices to serve instead of reading KIOSK_DEVICES_FILE (tests, benchmarks). */
  devices?: readonly KioskDevice[];
  /** Clock for tokens and rate limits (tests). */
  now?: () => number;
}

/** The kiosk robot channel: a Direct Line 3.0–compatible API, its WebSocket stream and the kiosk page. */
export async function createKioskFeature(deps: FeatureDeps, options: KioskFeatureOptions = {}): Promise<CarebotFeature | undefined> {
  const settings = deps.config.kiosk;
  if (!options.devices && !settings.devicesFile) return undefined;
  const list = options.devices ?? loadKioskDevices(isAbsolute(settings.devicesFile!) ? settings.devicesFile! : join(deps.rootDir, settings.devicesFile!));
  const devices = new Map(list.map((device) => [device.id, device]));
  const logger = deps.logger.child({ component: 'kiosk' });
  if (!settings.tokenSecret) logger.warn('KIOSK_TOKEN_SECRET is not set: kiosk tokens are signed with a per-process key and die with a restart');

  const now = options.now ?? Date.now;
  const idleMs = Math.max(...list.map((device) => device.idleTimeoutSeconds)) * 1000 * 4;
  // A kiosk conversation is a few dozen activities; 100 and 32 k characters of JSON bound one
  // conversation's log (npm run bench reports what 10,000 conversations cost).
  const limits = { maxActivities: 100, maxLogChars: 32_768, maxConversations: 10_000, idleMs: Math.max(idleMs, settings.tokenTtlSeconds * 1000) };
  let store: ConversationStore;
  if (deps.redis && deps.config.redis) {
    // A subscribed connection can run nothing else: the fan-out gets its own.
    const subscriber = createBlockingRedis(deps.config.redis.connection, logger, 'kiosk fan-out');
    store = new RedisConversationStore({ ...limits, redis: deps.redis, subscriber, keyPrefix: deps.config.redis.keyPrefix, logger, now });
  } else {
    store = new MemoryConversationStore({ ...limits, now });
  }
  const tokens = new TokenIssuer(settings.tokenSecret, settings.tokenTtlSeconds, now);
  const limiter = new RequestLimiter(settings.rateLimitPerMinute, 60_000, now);
  const adapter = new KioskAdapter(store, deps.config.defaultLocale);
  adapter.use(kioskContextMiddleware(store, devices, deps.bot.profile));
  deps.bot.attachTo(adapter);

  const api = new DirectLineApi({
    devices,
    store,
    tokens,
    adapter,
    limiter,
    logic: (context) => deps.bot.run(context),
    logger,
    endpoint: { serviceUrl: 'https://directline.carebot.invalid/', botId: 'carebot', botName: 'carebot', maxTextLength: absurdTextChars(deps.config.maxInboundTextChars) },
    publicUrl: deps.config.http.publicUrl,
    bodyLimitBytes: deps.config.http.bodyLimitBytes,
    pingIntervalMs: deps.config.security.wsPingIntervalSeconds * 1000,
    clientAddress: clientAddressOf(deps.config.security.trustProxy),
    allowedOrigins: settings.allowedOrigins,
  });
  const page = kioskPageRouter({ devices, tokens, limiter, i18n: deps.i18n, publicDir: join(deps.rootDir, 'adapters', 'kiosk', 'public') });

  // Often enough that a held stream (touched by every sweep) is never mistaken for a client that left.
  const sweepEveryMs = Math.min(60_000, Math.max(1_000, Math.floor(settings.abandonAfterMs / 3)));
  const upkeep = async () => {
    await store.sweep();
    for (const conversation of await store.claimAbandoned(now() - settings.abandonAfterMs)) await api.clientLeft(conversation);
  };
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    upkeep()
      .catch((error: unknown) => logger.warn({ err: error }, 'kiosk conversation sweep failed'))
      .finally(() => (sweeping = false));
  }, sweepEveryMs);
  sweep.unref();

  const channel: Channel = {
    id: 'directline',
    adapter,
    status: (): ChannelStatus => ({
      channelId: 'directline',
      state: 'connected',
      loggedInAs: `${devices.size} kiosk device(s)`,
      lastMessageAt: adapter.lastMessageAt,
      sendFailures: adapter.sendFailures,
      detail: store.describe(),
      required: false,
    }),
  };

  return {
    name: 'kiosk',
    routers: [api.router(), page],
    channels: [channel],
    attachToServer: (server) => api.attachToServer(server),
    detachFromServer: () => api.detach(),
    async eraseUser(userId) {
      return { conversations: await store.eraseUser(userId) };
    },
    async close() {
      clearInterval(sweep);
      api.close();
      await store.close();
    },
  };
}
