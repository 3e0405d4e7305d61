import { join } from 'node:path';
import { ConversationState, MemoryStorage, TestAdapter, UserState, type Storage } from 'botbuilder';
import { CarebotBot } from '../../src/bot/carebot-bot.js';
import { localeFromMessage } from '../../src/bot/locale-from-message.js';
import type { KnownLanguage } from '../../src/bot/middleware.js';
import { createI18n } from '../../src/i18n/create-i18n.js';
import { projectRoot } from '../../src/project-root.js';
import type { Locale } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { memoryLogger } from './silent-logger.js';

export interface TestBot {
  bot: CarebotBot;
  adapter: TestAdapter;
  logs: () => Record<string, unknown>[];
}

/** The real bot and pipeline on botbuilder's TestAdapter, for conversation-style tests. */
export async function createTestBot(
  options: { storage?: Storage; logger?: Logger; channelId?: string; defaultLocale?: Locale; knownLanguage?: KnownLanguage } = {},
): Promise<TestBot> {
  const { logger, lines } = options.logger ? { logger: options.logger, lines: () => [] } : memoryLogger('debug');
  const storage = options.storage ?? new MemoryStorage();
  const bot = new CarebotBot({
    conversationState: new ConversationState(storage),
    userState: new UserState(storage),
    i18n: await createI18n(join(projectRoot(), 'locales'), 'en'),
    logger,
    defaultLocale: options.defaultLocale ?? 'en',
    detectLocale: localeFromMessage,
    knownLanguage: options.knownLanguage,
  });
  const adapter = bot.attachTo(
    new TestAdapter(async (context) => bot.run(context), { channelId: options.channelId ?? 'test' } as never),
  );
  return { bot, adapter, logs: lines };
}
