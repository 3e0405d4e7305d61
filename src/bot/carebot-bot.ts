import {
  ActivityEventNames,
  ActivityHandler,
  ActivityTypes,
  MiddlewareSet,
  type BotAdapter,
  type ConversationState,
  type StatePropertyAccessor,
  type TurnContext,
  type UserState,
} from 'botbuilder';
import { DEFAULT_MAX_INBOUND_TEXT_CHARS, type Locale } from '../config.js';
import type { I18n } from '../i18n/create-i18n.js';
import type { Logger } from '../logger.js';
import type { TurnLock } from '../state/redis-turn-lock.js';
import { TurnCachedProperty } from '../state/turn-cached-property.js';
import { InboundTextCapMiddleware } from './inbound-text.js';
import { ConversationOrderMiddleware, LocaleMiddleware, TurnLoggerMiddleware, type DetectLocale, type KnownLanguage } from './middleware.js';
import { getReplyLocale, getTurnLogger } from './turn-state.js';
import type { ConversationData, UserProfile } from './user-profile.js';

export interface CarebotBotDeps {
  conversationState: ConversationState;
  userState: UserState;
  i18n: I18n;
  logger: Logger;
  defaultLocale: Locale;
  detectLocale: DetectLocale;
  /** The user's preferred language from the identity directory: a prior for the reply locale. */
  knownLanguage?: KnownLanguage;
  /** Serializes a conversation's turns across processes (Redis); in-process order needs none. */
  turnLock?: TurnLock;
  /** MAX_INBOUND_TEXT_CHARS: longer message texts are truncated before anything reads them. */
  maxInboundTextChars?: number;
}

/** What answers a message turn: the shared dialogs. */
export interface MessageHandler {
  onMessage(context: TurnContext): Promise<void>;
}

const GREETINGS = /^\s*(hi|hello|hey|good (morning|afternoon|evening)|你好|您好|哈[囉啰]|早晨|早上好|喂|hallo)[\s!！.。~～]*$/iu;

/**
 * The one bot every channel talks to. Channels differ only in their adapter; each adapter
 * gets the same middleware pipeline through `attachTo`.
 */
export class CarebotBot extends ActivityHandler {
  readonly profile: StatePropertyAccessor<UserProfile>;
  readonly conversationData: StatePropertyAccessor<ConversationData>;
  /** Middleware features add before the reply language is chosen: dedupe, transcript. */
  readonly early = new MiddlewareSet();
  /** Middleware features add after the reply language is chosen: conversation mode (handoff), NLU. */
  readonly late = new MiddlewareSet();
  private readonly deps: CarebotBotDeps;
  private messageHandler: MessageHandler | undefined;
  private readonly order: ConversationOrderMiddleware;

  constructor(deps: CarebotBotDeps) {
    super();
    this.deps = deps;
    this.order = new ConversationOrderMiddleware(deps.turnLock);
    this.profile = TurnCachedProperty.of<UserProfile>(deps.userState, 'profile');
    this.conversationData = TurnCachedProperty.of<ConversationData>(deps.conversationState, 'conversation');

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const joined = (context.activity.membersAdded ?? []).some((member) => member.id !== botId);
      if (joined) await this.greet(context);
      await next();
    });
  }

  /** A message turn: the shared dialogs answer it; without them the bot only greets and says it does not understand yet. */
  private async onMessageTurn(context: TurnContext): Promise<void> {
    const data = await this.conversationData.get(context, {});
    data.turnCount = (data.turnCount ?? 0) + 1;
    const text = context.activity.text ?? '';
    if (this.messageHandler) {
      await this.messageHandler.onMessage(context);
    } else if (GREETINGS.test(text)) {
      await this.greet(context);
    } else {
      await context.sendActivity(this.translate(context, 'notUnderstoodYet'));
    }
  }

  /** Hands every message to the shared dialogs; without one the bot only greets and says it does not understand yet. */
  setMessageHandler(handler: MessageHandler): void {
    this.messageHandler = handler;
  }

  /** Installs the shared middleware pipeline and turn-error handler on a channel's adapter. */
  attachTo<T extends BotAdapter>(adapter: T): T {
    adapter.use(new TurnLoggerMiddleware(this.deps.logger));
    // Before everything that reads the text: no channel's message may cost more than the cap allows.
    adapter.use(
      new InboundTextCapMiddleware(this.deps.maxInboundTextChars ?? DEFAULT_MAX_INBOUND_TEXT_CHARS, this.deps.i18n, this.deps.logger, this.deps.defaultLocale),
    );
    adapter.use(this.order);
    adapter.use(this.early);
    adapter.use(new LocaleMiddleware(this.profile, this.deps.detectLocale, this.deps.defaultLocale, this.deps.knownLanguage));
    adapter.use(this.late);
    adapter.onTurnError = (context, error) => this.onTurnError(context, error);
    return adapter;
  }

  /**
   * Runs the turn and saves what it changed; a stale save (eTag conflict) fails the turn loudly.
   * A message goes straight to the dialogs: ActivityHandler would route it through its turn,
   * message and dialog events, none of which has a handler here, at ~5% of a turn's CPU.
   */
  override async run(context: TurnContext): Promise<void> {
    if (context?.activity?.type === ActivityTypes.Message) await this.onMessageTurn(context);
    else await super.run(context);
    await this.deps.conversationState.saveChanges(context);
    await this.deps.userState.saveChanges(context);
  }

  /** The conversation state features create their own properties on (and save when they end a turn early). */
  get userState(): UserState {
    return this.deps.userState;
  }

  get conversationState(): ConversationState {
    return this.deps.conversationState;
  }

  /** Conversations with a turn in progress in this process. */
  get activeConversations(): number {
    return this.order.activeConversations;
  }

  private async greet(context: TurnContext): Promise<void> {
    await context.sendActivity(this.translate(context, 'greeting'));
  }

  private translate(context: TurnContext, key: string): string {
    const locale = getReplyLocale(context) ?? this.deps.defaultLocale;
    return this.deps.i18n.t(key, { lng: locale });
  }

  private async onTurnError(context: TurnContext, error: Error): Promise<void> {
    const logger = getTurnLogger(context, this.deps.logger);
    logger.error({ err: error, code: (error as { code?: unknown }).code }, 'turn failed');
    // A proactive turn (an agent's reply, a queue position) must fail for its sender, who retries
    // or reports it; swallowing the error here would make an undelivered message look delivered.
    if (isProactiveTurn(context)) throw error;
    if (context.activity.type !== ActivityTypes.Message) return;
    try {
      await context.sendActivity(this.translate(context, 'turnError'));
    } catch (sendError) {
      logger.error({ err: sendError }, 'could not send the turn-error apology');
    }
  }
}

/**
 * botbuilder's adapters name a proactive turn's event `ActivityEventNames.ContinueConversation`
 * ('ContinueConversation'); carebot's own kiosk adapter still names it 'continueConversation'.
 */
function isProactiveTurn(context: TurnContext): boolean {
  const { type, name } = context.activity;
  return type === ActivityTypes.Event && name?.toLowerCase() === ActivityEventNames.ContinueConversation.toLowerCase();
}
