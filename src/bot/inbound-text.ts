import type { Middleware, TurnContext } from 'botbuilder';
import type { I18n } from '../i18n/create-i18n.js';
import type { Logger } from '../logger.js';
import { getReplyLocale, getTurnLogger } from './turn-state.js';

/**
 * HTTP entry points refuse text longer than this many times the cap outright (413): no channel
 * carebot serves sends a real message that long (a Teams message stops at about 28 KB), so it
 * is a probe, not a customer.
 */
export const ABSURD_TEXT_FACTOR = 16;

/** The longest text an HTTP entry point accepts at all (longer: 413 `REQUEST_TOO_LARGE`). */
export function absurdTextChars(maxInboundTextChars: number): number {
  return maxInboundTextChars * ABSURD_TEXT_FACTOR;
}

/** `text` cut to at most `max` UTF-16 code units, never between the two halves of a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = max > 0 && isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, cut);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * The one inbound text cap of every channel: the first middleware `CarebotBot.attachTo`
 * installs, so nothing after it (transcripts, dedupe, language id, NLU, redaction, storage)
 * ever sees more than `max` characters. An over-long message is truncated and the turn goes on
 * (a customer who pasted too much still gets an answer, and an agent still sees the start of
 * it); the user is told, in the reply language, how much was read, and the cut is logged at info.
 */
export class InboundTextCapMiddleware implements Middleware {
  constructor(
    private readonly max: number,
    private readonly i18n: I18n,
    private readonly logger: Logger,
    private readonly defaultLocale: string,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    const length = typeof activity.text === 'string' ? activity.text.length : 0;
    if (length <= this.max) return next();
    activity.text = truncateText(activity.text, this.max);
    getTurnLogger(context, this.logger).info({ length, max: this.max }, 'inbound text truncated');
    await next();
    // Told after the turn, in the language the turn chose, and only when the bot answered: a
    // redelivered message the dedupe dropped gets no second notice.
    if (!context.responded) return;
    const locale = getReplyLocale(context) ?? this.defaultLocale;
    await context.sendActivity(this.i18n.t('textTruncated', { lng: locale, ns: 'common', max: this.max.toLocaleString('en') }));
  }
}
