import type { Activity, Middleware, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { SUPPORTED_LOCALES, type Locale } from '../config.js';
import type { Logger } from '../logger.js';
import type { TurnLock } from '../state/redis-turn-lock.js';
import { getLogIds, getReplyLocale, getTurnLogger, setReplyLocale, setTurnLogger } from './turn-state.js';
import type { UserProfile } from './user-profile.js';

/** A child logger per turn, and one line per turn with its outcome and duration. */
export class TurnLoggerMiddleware implements Middleware {
  constructor(private readonly logger: Logger) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    // The child logger is built on first use: most turns never log.
    let turnLogger: Logger | undefined;
    setTurnLogger(context, () => {
      const ids = getLogIds(context);
      return (turnLogger ??= this.logger.child({
        channelId: activity.channelId,
        conversationId: ids ? ids.conversationId : activity.conversation?.id,
        activityId: ids ? ids.activityId : activity.id,
      }));
    });
    if (!this.logger.isLevelEnabled('debug')) return next();
    const started = performance.now();
    await next();
    getTurnLogger(context, this.logger).debug({ type: activity.type, ms: Math.round(performance.now() - started) }, 'turn done');
  }
}

/**
 * Runs one conversation's turns one after another in this process, in arrival order, so a
 * burst of messages cannot race on the conversation's state. Different conversations run freely.
 * With a shared turn lock (Redis), a turn also waits for the conversation's turn running in
 * another process: otherwise one of the two would fail its state save (eTag conflict).
 */
export class ConversationOrderMiddleware implements Middleware {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly lock?: TurnLock) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const key = `${context.activity.channelId}/${context.activity.conversation?.id ?? ''}`;
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      const unlock = await this.lock?.acquire(key);
      try {
        await next();
      } finally {
        await unlock?.();
      }
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Conversations with a turn running or waiting; for tests and shutdown. */
  get activeConversations(): number {
    return this.tails.size;
  }
}

/**
 * The locale a message's own language asks for, given the user's previous one and a hint (the
 * user's directory language, else the channel's Chinese locale, else the deployment's default)
 * for text that cannot tell by itself; undefined when it carries no signal.
 */
export type DetectLocale = (text: string, previous: Locale | undefined, hint: Locale) => Locale | undefined;

/** The language a directory or profile service knows the user prefers, if any. */
export type KnownLanguage = (context: TurnContext) => Promise<Locale | undefined>;

/**
 * Decides the reply locale: the user's explicit choice first, then the message's language,
 * then the profile's last language, the user's directory language, the channel's locale and
 * the configured default. Every outgoing activity is stamped with it so channels (and robots'
 * TTS) know what they speak.
 */
export class LocaleMiddleware implements Middleware {
  constructor(
    private readonly profile: StatePropertyAccessor<UserProfile>,
    private readonly detect: DetectLocale,
    private readonly defaultLocale: Locale,
    private readonly knownLanguage: KnownLanguage = async () => undefined,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const profile = await this.profile.get(context, {});
    const channelLocale = toSupportedLocale(context.activity.locale);
    const directoryLocale = await this.knownLanguage(context);
    const chineseHint = [directoryLocale, channelLocale].find((locale) => locale !== undefined && locale !== 'en') ?? this.defaultLocale;
    const fromMessage =
      context.activity.type === 'message' && context.activity.text
        ? this.detect(context.activity.text, profile.lastLocale, chineseHint)
        : undefined;
    if (fromMessage) profile.lastLocale = fromMessage;
    const locale =
      profile.chosenLocale ?? fromMessage ?? profile.lastLocale ?? directoryLocale ?? channelLocale ?? this.defaultLocale;
    setReplyLocale(context, locale);
    context.onSendActivities(async (ctx, activities, sendNext) => {
      const replyLocale = getReplyLocale(ctx) ?? locale;
      for (const activity of activities as Partial<Activity>[]) activity.locale = replyLocale;
      return sendNext();
    });
    await next();
  }
}

/** Maps a channel's locale tag (e.g. `zh-hk`, `en-US`, `zh-Hant-TW`) to one carebot speaks. */
export function toSupportedLocale(tag: string | undefined): Locale | undefined {
  if (!tag) return undefined;
  const lower = tag.toLowerCase();
  const exact = SUPPORTED_LOCALES.find((locale) => locale.toLowerCase() === lower);
  if (exact) return exact;
  if (lower.startsWith('en')) return 'en';
  if (lower.startsWith('yue') || lower.endsWith('-hk') || lower.endsWith('-mo')) return 'zh-HK';
  if (lower.startsWith('zh-hant') || lower.endsWith('-tw')) return 'zh-TW';
  if (lower.startsWith('zh')) return 'zh-CN';
  return undefined;
}
