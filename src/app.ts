import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Storage } from 'botbuilder';
import type { Express } from 'express';
import type { RedisClient } from './state/create-redis.js';
import { createKioskFeature } from '../adapters/kiosk/kiosk-feature.js';
import { createBotFrameworkChannel, type BotFrameworkAdapter } from '../adapters/teams/bot-framework-channel.js';
import { createAdminChannelsFeature } from './channels/admin-channels.js';
import { createAnalyticsFeature } from './analytics/analytics-feature.js';
import { resolveHashSecret } from './analytics/hash-secret.js';
import { createHandoffFeature } from './handoff/handoff-feature.js';
import { createWhatsappFeature } from '../adapters/whatsapp/whatsapp-feature.js';
import { createWechatFeature } from '../adapters/wechat/wechat-feature.js';
import { createWechatOfficialFeature } from '../adapters/wechat-official/wechat-official-feature.js';
import { createWecomFeature } from '../adapters/wecom/wecom-feature.js';
import { createWhatsappCloudFeature } from '../adapters/whatsapp-cloud/whatsapp-cloud-feature.js';
import { CarebotDialogs } from '../dialogs/carebot-dialogs.js';
import { CarebotBot } from './bot/carebot-bot.js';
import type { HandoffRequester } from './bot/handoff-requester.js';
import { LanguageRequestMiddleware } from './bot/language-request-middleware.js';
import { UnderstandingMiddleware } from './bot/understanding-middleware.js';
import { DirectoryIdentityProvider } from './identity/directory-identity-provider.js';
import { IdentityMiddleware } from './identity/identity-middleware.js';
import { KnowledgeAgentAssist } from './knowledge/knowledge-agent-assist.js';
import { createKnowledgeFeature } from './knowledge/knowledge-feature.js';
import { warmUpRecognizers } from './nlu/entities/extract-entities.js';
import { absurdTextChars } from './bot/inbound-text.js';
import { localeFromMessage } from './bot/locale-from-message.js';
import { ChannelRegistry } from './channels/channel-registry.js';
import { DeliveryReceipts } from './channels/delivery-receipts.js';
import type { Config } from './config.js';
import { middlewareAt, type CarebotFeature, type FeatureDeps } from './feature.js';
import { buildApp } from './http/build-app.js';
import { LoginGuard } from './http/login-guard.js';
import { createErasureRouter, type UserEraser } from './http/erasure-router.js';
import { createPageI18nRouter } from './http/page-i18n.js';
import type { ReadinessCheck } from './http/readiness.js';
import { createI18n, type I18n } from './i18n/create-i18n.js';
import { logPseudonyms, type Logger } from './logger.js';
import { projectRoot } from './project-root.js';
import { createRedis } from './state/create-redis.js';
import { createStateStorages } from './state/create-state-storage.js';
import { JsonConversationState, JsonUserState } from './state/json-change-state.js';
import { TurnCachedProperty } from './state/turn-cached-property.js';
import {
  eraseUserState,
  indexUserConversations,
  MemoryUserConversationIndex,
  RedisUserConversationIndex,
  type UserConversationIndex,
} from './state/user-conversations.js';

export interface Carebot {
  readonly config: Config;
  readonly logger: Logger;
  readonly bot: CarebotBot;
  readonly i18n: I18n;
  readonly storage: { conversation: Storage; user: Storage };
  readonly channels: ChannelRegistry;
  readonly botFrameworkAdapter: BotFrameworkAdapter | undefined;
  readonly features: readonly CarebotFeature[];
  readonly app: Express;
  readonly redis: RedisClient | undefined;
  /** Connects channels and starts workers; call once the HTTP server listens. */
  start(): Promise<void>;
  /** Releases every connection and timer; call after the HTTP server has drained. */
  close(): Promise<void>;
}

export interface CarebotOptions {
  logger: Logger;
  /** Replaces the handoff feature's requester (embedders and tests). */
  handoffRequester?: HandoffRequester;
  /** Where `locales/` and content live; defaults to the project root. */
  rootDir?: string;
}

type FeatureFactory = (deps: FeatureDeps) => Promise<CarebotFeature | undefined>;

/**
 * The features this build plugs in, in order. A factory returns undefined when its feature is
 * not configured. Add new features here, one line each.
 */
const FEATURES: readonly FeatureFactory[] = [
  (deps) => createWechatFeature(deps),
  (deps) => createWechatOfficialFeature(deps),
  (deps) => createWecomFeature(deps),
  (deps) => createKioskFeature(deps),
  (deps) => createWhatsappFeature(deps),
  (deps) => createWhatsappCloudFeature(deps),
  (deps) => createAdminChannelsFeature(deps),
  (deps) => createHandoffFeature(deps, { assist: new KnowledgeAgentAssist(deps.content) }),
];

/** The composition root: builds every part of carebot from a validated Config. */
export async function createCarebot(config: Config, options: CarebotOptions): Promise<Carebot> {
  const { logger } = options;
  const rootDir = options.rootDir ?? projectRoot();
  const i18n = await createI18n(join(rootDir, 'locales'), config.defaultLocale);

  const redis = config.redis ? createRedis(config.redis.connection, logger.child({ component: 'redis' })) : undefined;
  if (redis) redis.connect().catch((error: unknown) => logger.error({ err: error }, 'redis is not reachable yet; retrying'));

  const storages = createStateStorages({
    redis,
    keyPrefix: config.redis?.keyPrefix ?? 'carebot',
    conversationTtlSeconds: config.state.conversationTtlSeconds,
    userTtlSeconds: config.state.userTtlSeconds,
    logger: logger.child({ component: 'state' }),
  });
  const conversations: UserConversationIndex = redis
    ? new RedisUserConversationIndex(redis, config.redis?.keyPrefix ?? 'carebot', config.state.conversationTtlSeconds)
    : new MemoryUserConversationIndex({ ttlMs: config.state.conversationTtlSeconds * 1000 });
  const sweepTimer = setInterval(() => storages.sweep(), 60_000);
  sweepTimer.unref();

  // Loaded before the bot: the directory's language is a prior for the reply locale.
  const identity = await loadIdentityDirectory(config, rootDir);
  const bot = new CarebotBot({
    conversationState: new JsonConversationState(storages.conversation),
    userState: new JsonUserState(storages.user),
    i18n,
    logger,
    defaultLocale: config.defaultLocale,
    detectLocale: localeFromMessage,
    knownLanguage: async (context) => (await identity.identify(context)).language,
    turnLock: storages.turnLock,
    maxInboundTextChars: config.maxInboundTextChars,
  });

  bot.early.use(indexUserConversations(conversations));

  const channels = new ChannelRegistry();
  let botFrameworkAdapter: BotFrameworkAdapter | undefined;
  if (config.botFramework.enabled) {
    const botFramework = createBotFrameworkChannel(config.botFramework, config.teams, logger);
    bot.attachTo(botFramework.adapter);
    channels.register(botFramework);
    botFrameworkAdapter = botFramework.adapter;
  } else {
    logger.warn('Bot Framework endpoint disabled: no MICROSOFT_APP_ID and unauthenticated traffic not allowed');
  }

  // One guard for every login and admin check, so the limits hold across routes (and processes, with Redis).
  const loginGuard = LoginGuard.create(config.security.login, redis, config.redis?.keyPrefix ?? 'carebot', logger);
  const features: CarebotFeature[] = [];
  try {
    // Content and NLU come first: features read the content runtime as they are built.
    const knowledge = await createKnowledgeFeature({ config, logger, rootDir, redis, loginGuard });
    features.push(knowledge);
    // Before the server listens, not inside the first turn with a number or a date.
    warmUpRecognizers();
    const deliveryReceipts = new DeliveryReceipts();
    // One secret keys analytics' hashed ids and the logs' pseudonyms.
    const hashSecret = resolveHashSecret(config.analytics, rootDir, config.env, logger);
    const logPseudonym = logPseudonyms(hashSecret);
    const deps: FeatureDeps = { config, logger, bot, i18n, channels, redis, rootDir, content: knowledge.runtime, loginGuard, conversations, deliveryReceipts, logPseudonym };
    const analytics = await createAnalyticsFeature(deps, { hashSecret, ...(knowledge.teacher ? { teacher: knowledge.teacher } : {}) });
    if (analytics) features.push(analytics);
    for (const create of FEATURES) {
      const feature = await create(deps);
      if (!feature) continue;
      features.push(feature);
      for (const channel of feature.channels ?? []) channels.register(channel);
    }
    analytics?.observe(features);

    for (const middleware of middlewareAt('aroundUnderstanding', features)) bot.late.use(middleware);
    bot.late.use(new LanguageRequestMiddleware(bot.profile, bot.userState, i18n));
    bot.late.use(new UnderstandingMiddleware(knowledge.runtime, logger, { recognizerBudgetMs: config.nlu.recognizerBudgetMs }));
    bot.late.use(new IdentityMiddleware(identity, bot.profile));
    for (const middleware of middlewareAt('beforeDialogs', features)) bot.late.use(middleware);

    bot.setMessageHandler(
      new CarebotDialogs(bot.conversationState, {
        i18n,
        logger,
        profile: bot.profile,
        conversationData: TurnCachedProperty.of(bot.conversationState, 'dialogs'),
        handoff: options.handoffRequester ?? features.map((feature) => feature.handoff).find((requester) => requester !== undefined),
        nextQuestions: analytics?.nextQuestions,
        csat: analytics?.csatRecorder,
        fallbacksBeforeHandoffOffer: config.knowledge.fallbacksBeforeHandoffOffer,
        defaultLocale: config.defaultLocale,
      }),
    );
  } catch (error) {
    await closeAll(features, logger);
    if (redis) redis.disconnect();
    throw error;
  }

  const readinessChecks: ReadinessCheck[] = [];
  if (redis) {
    readinessChecks.push({
      name: 'redis',
      check: async () => {
        await redis.ping();
      },
    });
  }
  for (const feature of features) readinessChecks.push(...(feature.readinessChecks ?? []));

  // Erasure: every feature that stores something about a user, then the bot's own state (last:
  // the features look the user's conversations up in the index it forgets).
  const stateEraser: UserEraser = {
    name: 'state',
    async eraseUser(userId) {
      const channelIds = channels.list().flatMap((channel) => [channel.id, ...(channel.channelIds ?? [])]);
      const erased = await eraseUserState(storages, userId, channelIds, await conversations.list(userId));
      await conversations.forget(userId);
      return erased;
    },
  };
  const erasers: UserEraser[] = [
    ...features.flatMap((feature) => (feature.eraseUser ? [{ name: feature.name, eraseUser: (userId: string) => feature.eraseUser!(userId) }] : [])),
    stateEraser,
  ];

  const app = buildApp({
    logger,
    bodyLimitBytes: config.http.bodyLimitBytes,
    trustProxy: config.security.trustProxy,
    maxTextChars: absurdTextChars(config.maxInboundTextChars),
    botFrameworkAdapter,
    bot,
    readinessChecks,
    routers: [
      // Channels' routes first: every customer message comes through them, and Express tries each
      // route before it in turn (~25 of the admin, dashboard and analytics routes were matched
      // against every Direct Line post). Every router's paths are its own, so order changes no answer.
      ...features.filter((feature) => feature.channels?.length).flatMap((feature) => feature.routers ?? []),
      createErasureRouter(config.adminToken, loginGuard, () => erasers),
      createPageI18nRouter(),
      ...features.filter((feature) => !feature.channels?.length).flatMap((feature) => feature.routers ?? []),
    ],
  });

  return {
    config,
    logger,
    bot,
    i18n,
    storage: { conversation: storages.conversation, user: storages.user },
    channels,
    botFrameworkAdapter,
    features,
    app,
    redis,
    async start() {
      for (const feature of features) await feature.start?.();
    },
    async close() {
      clearInterval(sweepTimer);
      await closeAll(features, logger);
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** IDENTITY_DIRECTORY_FILE, or `directory.yaml` in the knowledge folder when there is one. */
async function loadIdentityDirectory(config: Config, rootDir: string): Promise<DirectoryIdentityProvider> {
  const inRoot = (path: string) => (isAbsolute(path) ? path : join(rootDir, path));
  if (config.knowledge.directoryFile) return DirectoryIdentityProvider.fromFile(inRoot(config.knowledge.directoryFile));
  const bundled = join(inRoot(config.knowledge.dir), 'directory.yaml');
  return existsSync(bundled) ? DirectoryIdentityProvider.fromFile(bundled) : DirectoryIdentityProvider.empty();
}

async function closeAll(features: readonly CarebotFeature[], logger: Logger): Promise<void> {
  for (const feature of [...features].reverse()) {
    try {
      await feature.close?.();
    } catch (error) {
      logger.error({ err: error, feature: feature.name }, 'feature did not close cleanly');
    }
  }
}
