import type { TurnContext } from 'botbuilder';
import type { Locale } from '../config.js';
import type { Logger } from '../logger.js';

const TURN_LOGGER = Symbol('carebot.turnLogger');
const REPLY_LOCALE = Symbol('carebot.replyLocale');
const LOG_IDS = Symbol('carebot.logIds');

/** Registers how to get this turn's logger (a pino child carrying channel and conversation ids). */
export function setTurnLogger(context: TurnContext, logger: () => Logger): void {
  context.turnState.set(TURN_LOGGER, logger);
}

export function getTurnLogger(context: TurnContext, fallback: Logger): Logger {
  const logger = context.turnState.get(TURN_LOGGER) as (() => Logger) | undefined;
  return logger ? logger() : fallback;
}

/** How the turn's conversation and activity appear in its log lines, where the channel's own ids name a person. */
export interface LogIds {
  readonly conversationId: string;
  readonly activityId: string | undefined;
}

/**
 * A channel whose ids hold personal data (a WhatsApp chat id is a phone number, and so part of
 * its message ids) sets pseudonyms, made only when the turn's logger is built: most turns never log.
 */
export function setLogIds(context: TurnContext, ids: () => LogIds): void {
  context.turnState.set(LOG_IDS, ids);
}

export function getLogIds(context: TurnContext): LogIds | undefined {
  return (context.turnState.get(LOG_IDS) as (() => LogIds) | undefined)?.();
}

export function setReplyLocale(context: TurnContext, locale: Locale): void {
  context.turnState.set(REPLY_LOCALE, locale);
}

export function getReplyLocale(context: TurnContext): Locale | undefined {
  return context.turnState.get(REPLY_LOCALE) as Locale | undefined;
}
