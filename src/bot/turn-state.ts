import type { TurnContext } from 'botbuilder';
import type { Locale } from '../config.js';
import type { Logger } from '../logger.js';

const TURN_LOGGER = Symbol('carebot.turnLogger');
const REPLY_LOCALE = Symbol('carebot.replyLocale');
const LOG_CONVERSATION_ID = Symbol('carebot.logConversationId');

/** Registers how to get this turn's logger (a pino child carrying channel and conversation ids). */
export function setTurnLogger(context: TurnContext, logger: () => Logger): void {
  context.turnState.set(TURN_LOGGER, logger);
}

export function getTurnLogger(context: TurnContext, fallback: Logger): Logger {
  const logger = context.turnState.get(TURN_LOGGER) as (() => Logger) | undefined;
  return logger ? logger() : fallback;
}

/** How the conversation id appears in this turn's log lines: a channel whose ids are phone numbers (WhatsApp) sets a masked one. */
export function setLogConversationId(context: TurnContext, id: string): void {
  context.turnState.set(LOG_CONVERSATION_ID, id);
}

export function getLogConversationId(context: TurnContext): string | undefined {
  return context.turnState.get(LOG_CONVERSATION_ID) as string | undefined;
}

export function setReplyLocale(context: TurnContext, locale: Locale): void {
  context.turnState.set(REPLY_LOCALE, locale);
}

export function getReplyLocale(context: TurnContext): Locale | undefined {
  return context.turnState.get(REPLY_LOCALE) as Locale | undefined;
}
