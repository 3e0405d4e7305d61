import { join } from 'node:path';
import { ConversationState, MemoryStorage, MessageFactory, UserState, type TurnContext } from 'botbuilder';
import { CarebotBot } from '../../src/bot/carebot-bot.js';
import { localeFromMessage } from '../../src/bot/locale-from-message.js';
import type { TextChannelDelivery } from '../../src/config/text-channel.js';
import { createI18n, type I18n } from '../../src/i18n/create-i18n.js';
import type { Logger } from '../../src/logger.js';
import { projectRoot } from '../../src/project-root.js';
import type { Clock } from '../../adapters/shared/clock.js';

export async function testI18n(): Promise<I18n> {
  return createI18n(join(projectRoot(), 'locales'), 'en');
}

export async function realBot(i18n: I18n, logger: Logger): Promise<CarebotBot> {
  const storage = new MemoryStorage();
  return new CarebotBot({
    conversationState: new ConversationState(storage),
    userState: new UserState(storage),
    i18n,
    logger,
    defaultLocale: 'en',
    detectLocale: localeFromMessage,
  });
}

/** Delivery settings for tests: fast limits and retries with no real waiting. */
export function testDelivery(overrides: Partial<TextChannelDelivery> = {}): TextChannelDelivery {
  return {
    maxTextLength: 200,
    perChatPerSecond: 1000,
    overallPerSecond: 1000,
    sendAttempts: 3,
    retryBaseMs: 1,
    dedupeTtlSeconds: 60,
    required: false,
    ...overrides,
  };
}

/** A clock whose sleeps return at once but are recorded, so tests can check what was waited without waiting. */
export function recordingClock(): Clock & { slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
  };
}

/**
 * A test turn beside the real bot: "menu" offers three choices, "long" answers with a long
 * multi-sentence text, anything else is echoed (so tests see what reached the bot).
 */
export const LONG_ANSWER =
  'Your card is blocked for your safety. We noticed unusual payments last night. ' +
  'To unblock it, open the app and go to Cards. Choose the blocked card and tap Unblock. ' +
  '如果您不在香港，请致电我们的热线。我们会在五分钟内回复您。您也可以在网上银行办理。 ' +
  'Thank you for banking with us. We are here around the clock.';

export async function choicesLogic(context: TurnContext): Promise<void> {
  const text = context.activity.text ?? '';
  if (context.activity.type !== 'message') return;
  if (text === 'menu') {
    await context.sendActivity(MessageFactory.suggestedActions(
      [{ type: 'imBack', title: 'Check balance', value: 'balance' }, { type: 'imBack', title: 'Transfer money', value: 'transfer' }, { type: 'imBack', title: 'Report a lost card', value: 'lost-card' }],
      'What would you like to do? **Pick one**',
    ));
  } else if (text === 'long') {
    await context.sendActivity(LONG_ANSWER);
  } else {
    await context.sendActivity(`echo: ${text}`);
  }
}

/** Resolves once `predicate` holds (polling), or rejects after `timeoutMs` naming what was expected. */
export async function eventually(predicate: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
