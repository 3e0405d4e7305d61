import { join } from 'node:path';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  UserState,
  type Storage,
} from 'botbuilder';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import { CarebotBot } from './bot/carebot-bot.js';
import { guessLocale } from './bot/guess-locale.js';
import type { Config } from './config.js';
import { buildApp } from './http/build-app.js';
import type { ReadinessCheck } from './http/readiness.js';
import { createI18n, type I18n } from './i18n/create-i18n.js';
import type { Logger } from './logger.js';
import { projectRoot } from './project-root.js';
import { createRedis } from './state/create-redis.js';
import { createStateStorages } from './state/create-state-storage.js';

export interface Carebot {
  readonly config: Config;
  readonly logger: Logger;
  readonly bot: CarebotBot;
  readonly i18n: I18n;
  readonly storage: { conversation: Storage; user: Storage };
  readonly botFrameworkAdapter: CloudAdapter | undefined;
  readonly app: Express;
  readonly redis: Redis | undefined;
  /** Releases every connection and timer; call after the HTTP server has drained. */
  close(): Promise<void>;
}

export interface CarebotOptions {
  logger: Logger;
  /** Where `locales/` lives; defaults to the project root. */
  rootDir?: string;
}

/** The composition root: builds every part of carebot from a validated Config. */
export async function createCarebot(config: Config, options: CarebotOptions): Promise<Carebot> {
  const { logger } = options;
  const rootDir = options.rootDir ?? projectRoot();
  const i18n = await createI18n(join(rootDir, 'locales'), config.defaultLocale);

  const redis = config.redis ? createRedis(config.redis.url, logger.child({ component: 'redis' })) : undefined;
  if (redis) redis.connect().catch((error: unknown) => logger.error({ err: error }, 'redis is not reachable yet; retrying'));

  const storages = createStateStorages({
    redis,
    keyPrefix: config.redis?.keyPrefix ?? 'carebot',
    conversationTtlSeconds: config.state.conversationTtlSeconds,
    userTtlSeconds: config.state.userTtlSeconds,
  });
  const sweepTimer = setInterval(() => storages.sweep(), 60_000);
  sweepTimer.unref();

  const bot = new CarebotBot({
    conversationState: new ConversationState(storages.conversation),
    userState: new UserState(storages.user),
    i18n,
    logger,
    defaultLocale: config.defaultLocale,
    detectLocale: guessLocale,
  });

  const botFrameworkAdapter = config.botFramework.enabled
    ? bot.attachTo(
        new CloudAdapter(
          new ConfigurationBotFrameworkAuthentication({
            MicrosoftAppId: config.botFramework.appId,
            MicrosoftAppPassword: config.botFramework.appPassword,
            MicrosoftAppTenantId: config.botFramework.tenantId,
            MicrosoftAppType: config.botFramework.appType,
          }),
        ),
      )
    : undefined;
  if (!botFrameworkAdapter) logger.warn('Bot Framework endpoint disabled: no MICROSOFT_APP_ID and unauthenticated traffic not allowed');

  const readinessChecks: ReadinessCheck[] = [];
  if (redis) {
    readinessChecks.push({
      name: 'redis',
      check: async () => {
        await redis.ping();
      },
    });
  }

  const app = buildApp({
    logger,
    bodyLimitBytes: config.http.bodyLimitBytes,
    botFrameworkAdapter,
    bot,
    readinessChecks,
  });

  return {
    config,
    logger,
    bot,
    i18n,
    storage: { conversation: storages.conversation, user: storages.user },
    botFrameworkAdapter,
    app,
    redis,
    async close() {
      clearInterval(sweepTimer);
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
