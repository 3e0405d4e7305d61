import type { TurnContext } from 'botbuilder';
import type { Locale } from '../config.js';
import type { Logger } from '../logger.js';

const TURN_LOGGER = Symbol('carebot.turnLogger');
const REPLY_LOCALE = Symbol('carebot.replyLocale');

/** Registers how to get this turn's logger (a pino child carrying channel and conversation ids). */
export function setTurnLogger(context: TurnContext, logger: () => Logger): void {
  context.turnState.set(TURN_LOGGER, logger);
}

export function getTurnLogger(context: TurnContext, fallback: Logger): Logger {
  const logger = context.turnState.get(TURN_LOGGER) as (() => Logger) | undefined;
  return logger ? logger() : fallback;
}

export function setReplyLocale(context: TurnContext, locale: Locale): void {
  context.turnState.set(REPLY_LOCALE, locale);
}

export function getReplyLocale(context: TurnContext): Locale | undefined {
  return context.turnState.get(REPLY_LOCALE) as Locale | undefined;
}
