import { LRUCache } from 'lru-cache';
import {
  ActivityEventNames,
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type CardAction,
  type ChannelAccount,
  type ConversationAccount,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { getReplyLocale, setLogIds } from '../../src/bot/turn-state.js';
import type { Locale } from '../../src/config.js';
import type { OutboundDelivery, OutboundMessage } from '../../src/channels/outbound/outbound-delivery.js';
import { setChannelIdentity } from '../../src/channels/channel-identity.js';
import type { TurnLogic } from '../../src/channels/channel-registry.js';
import { AdapterError } from '../../src/errors.js';
import { queueSafe } from '../../src/state/redis-keys.js';
import type { I18n } from '../../src/i18n/create-i18n.js';
import { processLogPseudonyms, type Logger, type LogPseudonym } from '../../src/logger.js';
import { actionValueText, recognizeChoice, type ChoiceWording } from './choices.js';
import type { DedupeStore } from './dedupe-store.js';
import { messageIdDigest } from './message-digest.js';
import { systemClock, type Clock } from './clock.js';
import type { SendPacer } from './send-pacer.js';
import type { RenderedText } from './render-text.js';
import { withRetry, type RetryPolicy } from './retry.js';
import { SerialQueue } from './serial-queue.js';

const MAX_CHATS_WITH_CHOICES = 10_000;
const CHOICES_TTL_MS = 24 * 60 * 60 * 1000;

export type { TurnLogic };

/** The platform refused a message for good (its retry policy says no try can fix it): no queue tries it again either (isRetryableSend). */
export class MessageRefusedError extends AdapterError {
  readonly retryable = false;
}

const QUEUED_REPLIES = Symbol('carebot.queuedReplies');

/**
 * The reply queue's job id for the `index`th reply to an inbound message. The message id's
 * digest, not the id: job ids name Redis keys and BullMQ's event stream and outlive the send,
 * and a WhatsApp message id holds the sender's phone number.
 */
export function queuedReplyId(channelId: string, inboundMessageId: string, index: number): string {
  return `${queueSafe(channelId)}-${messageIdDigest(inboundMessageId)}-${index}`;
}

/** What `from.properties.<channel>` may carry (WeChat: alias, city; WhatsApp: phone; WeCom: department id). */
interface ContactProperties {
  readonly alias?: string | undefined;
  readonly phone?: string | undefined;
  readonly city?: string | undefined;
  readonly department?: string | undefined;
}

/** Who a group reply mentions. */
export interface Mention {
  readonly id: string;
  readonly name?: string | undefined;
}

/**
 * The one thing a text channel's SDK must do for the adapter: put a message into a chat, by chat
 * id. A message is text for the session apps; a platform with native choices (WhatsApp Cloud API)
 * renders to its own payloads instead.
 */
export interface ChatTransport<Message = string> {
  /** Resolves with the platform's message id when it gives one. Throws when the message was not delivered. */
  sendText(chatId: string, text: Message, mention: Mention | undefined): Promise<string | undefined>;
}

/** What a platform message became: an Activity, plus what the adapter needs to route it. */
export interface InboundMessage {
  readonly activity: Partial<Activity>;
  /** The platform's message id, deduplicated. */
  readonly messageId: string;
  /** True for images, voice, files, stickers...: answered with "I can read text messages only". */
  readonly unsupportedMedia: boolean;
  /** An i18n key answered instead of running the bot's logic (a WeChat menu key that maps to no loaded intent). */
  readonly notice?: string | undefined;
}

export interface TextChannelAdapterOptions<Message = string> {
  readonly channelId: string;
  /** The channel's pure render.ts: an outgoing Activity → its text messages and offered choices. */
  readonly render: (activity: Partial<Activity>, wording: ChoiceWording) => RenderedText<Message>;
  readonly transport: ChatTransport<Message>;
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly dedupe: DedupeStore;
  readonly limiter: SendPacer;
  readonly retry: RetryPolicy;
  readonly clock?: Clock;
  /**
   * When set (with Redis), replies to inbound messages are queued here and sent by its worker
   * (`deliverQueued`), so a reply survives a crash between the turn and its delivery.
   */
  readonly replyQueue?: OutboundDelivery | undefined;
  /**
   * Replies to a chat this claims are sent within the turn even with a reply queue: WeChat's
   * passive reply rides the callback's HTTP response, which no queue worker can reach.
   */
  readonly sendInTurn?: ((chatId: string) => boolean) | undefined;
  /**
   * How chat ids appear in log lines (the composition root's installation-keyed pseudonyms): a
   * chat id names a person (a phone number on WhatsApp), so it is never logged as it is. Without
   * one, pseudonyms keyed for this process only.
   */
  readonly logPseudonym?: LogPseudonym | undefined;
  /** Chats whose offered choices are remembered (default 10,000): past it the least recently offered lose theirs. */
  readonly maxChatsWithChoices?: number | undefined;
}

/**
 * The BotAdapter of a text chat app (WeChat, WhatsApp). It owns the transport concerns both
 * share: dedupe of redelivered messages, arrival order, numbered choices and the replies that
 * pick them, rendering and splitting, rate limits, retries, and counting what could not be sent.
 */
export class TextChannelAdapter<Message = string> extends BotAdapter {
  readonly channelId: string;
  private readonly options: TextChannelAdapterOptions<Message>;
  private readonly clock: Clock;
  /** How ids that name a person appear in log lines (see the option). */
  readonly logPseudonym: LogPseudonym;
  private readonly inbound = new SerialQueue();
  /** The choices last offered in each chat, so "2" or an option's title picks one (a day, for the chats most recently offered one). */
  private readonly offered: LRUCache<string, CardAction[]>;
  private failures = 0;
  private lastMessage: Date | undefined;

  constructor(options: TextChannelAdapterOptions<Message>) {
    super();
    this.options = options;
    this.channelId = options.channelId;
    this.clock = options.clock ?? systemClock;
    this.logPseudonym = options.logPseudonym ?? processLogPseudonyms();
    this.offered = new LRUCache({ max: options.maxChatsWithChoices ?? MAX_CHATS_WITH_CHOICES, ttl: CHOICES_TTL_MS });
    // Runs before the shared pipeline `bot.attachTo` installs: the IdentityProvider and the turn logger read it.
    this.use(async (context, next) => {
      const chatId = context.activity.conversation?.id;
      const activityId = context.activity.id;
      if (chatId) setLogIds(context, () => ({ conversationId: this.logChatId(chatId), activityId: activityId === undefined ? undefined : this.logPseudonym('message', activityId) }));
      const from = context.activity.from;
      const contact = (from?.properties as Record<string, ContactProperties | undefined> | undefined)?.[this.channelId];
      if (from?.id && context.activity.type === ActivityTypes.Message) {
        setChannelIdentity(context, {
          channelUserId: from.id,
          displayName: contact?.alias ?? from.name,
          phone: contact?.phone,
          city: contact?.city,
          department: contact?.department,
        });
      }
      await next();
    });
  }

  get sendFailures(): number {
    return this.failures;
  }

  get lastMessageAt(): Date | undefined {
    return this.lastMessage;
  }

  /**
   * Takes one platform message in arrival order for its chat: `parse` runs in that order too,
   * so a slow parse cannot let a later message overtake. Resolves when its turn is done.
   */
  receive(chatId: string, parse: () => Promise<InboundMessage | null>, logic: TurnLogic): Promise<void> {
    return this.inbound.run(chatId, async () => {
      const message = await parse();
      if (!message) return;
      if (!(await this.options.dedupe.firstSeen(`${this.channelId}:${message.messageId}`))) {
        // A WhatsApp message id holds its chat id, a phone number.
        this.options.logger.info({ channelId: this.channelId, conversationId: this.logChatId(chatId), messageId: this.logPseudonym('message', message.messageId) }, 'redelivered message ignored');
        return;
      }
      this.lastMessage = new Date(this.clock.now());
      const activity = this.pickChoice(message.activity);
      const context = new TurnContext(this, activity);
      const notice = message.unsupportedMedia ? 'common:mediaNotSupported' : message.notice;
      await this.runMiddleware(context, notice ? (turn) => this.replyNotice(turn, notice) : logic);
    });
  }

  /** Resolves once every message received so far has had its turn. */
  idle(): Promise<void> {
    return this.inbound.idle();
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const { replyQueue } = this.options;
    // Replies to an inbound message go through the reply queue; proactive turns already come from a queue.
    const chatId = context.activity.conversation?.id;
    const inTurn = chatId !== undefined && this.options.sendInTurn?.(chatId) === true;
    if (replyQueue && context.activity.type === ActivityTypes.Message && !inTurn) {
      // The job id is the inbound message id + the reply's place in its turn: a turn that runs
      // again for the same message (a redelivery after a crash) cannot queue its replies twice.
      const index = ((context.turnState.get(QUEUED_REPLIES) as number | undefined) ?? 0) + 1;
      context.turnState.set(QUEUED_REPLIES, index);
      const id = queuedReplyId(this.channelId, context.activity.id ?? randomUUID(), index);
      const reference = { ...TurnContext.getConversationReference(context.activity), locale: getReplyLocale(context) ?? context.activity.locale };
      await replyQueue.enqueue({ id, reference, activities: activities.map((activity) => ({ ...activity })), origin: { kind: 'bot' } });
      return activities.map(() => ({ id }));
    }
    return this.sendNow(activities, { conversation: context.activity.conversation, from: context.activity.from, locale: getReplyLocale(context) });
  }

  /** Sends what the reply queue carried (its worker calls this, in order, one message at a time). */
  async deliverQueued(message: OutboundMessage): Promise<void> {
    const { conversation, user, locale } = message.reference;
    await this.sendNow([...message.activities], { conversation, from: user, locale: locale as Locale | undefined });
  }

  private async sendNow(
    activities: readonly Partial<Activity>[],
    inReplyTo: { conversation?: Partial<ConversationAccount> | undefined; from?: ChannelAccount | undefined; locale?: Locale | undefined },
  ): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await this.clock.sleep(typeof activity.value === 'number' ? activity.value : 1000);
        responses.push({ id: '' });
        continue;
      }
      const chatId = activity.conversation?.id ?? inReplyTo.conversation?.id;
      if (!chatId) throw new AdapterError('ADAPTER_SEND_FAILED', `${this.channelId}: an outgoing activity has no conversation id`);
      const locale = activity.locale ?? inReplyTo.locale ?? 'en';
      const rendered = this.options.render(activity, this.wording(locale));
      if (rendered.choices.length > 0) this.offered.set(chatId, rendered.choices);
      const isGroup = activity.conversation?.isGroup ?? inReplyTo.conversation?.isGroup ?? false;
      const recipient = activity.recipient ?? inReplyTo.from;
      let id: string | undefined;
      for (const [index, text] of rendered.texts.entries()) {
        const mention = isGroup && index === 0 && recipient?.id ? { id: recipient.id, name: recipient.name } : undefined;
        id = (await this.deliver(chatId, text, mention)) ?? id;
      }
      responses.push({ id: id ?? '' });
    }
    return responses;
  }

  async updateActivity(): Promise<void> {
    throw new AdapterError('ADAPTER_SEND_FAILED', `${this.channelId} cannot edit a message already sent`);
  }

  async deleteActivity(): Promise<void> {
    throw new AdapterError('ADAPTER_SEND_FAILED', `${this.channelId} cannot delete a message already sent`);
  }

  /** Proactive messages: the reference's conversation id is the chat id, which the transport resolves from the client, so it works after a restart. */
  async continueConversation(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: ActivityEventNames.ContinueConversation, channelId: this.channelId },
      reference,
      true,
    );
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  private async deliver(chatId: string, text: Message, mention: Mention | undefined): Promise<string | undefined> {
    try {
      return await withRetry(
        async () => {
          await this.options.limiter.acquire(chatId);
          return this.options.transport.sendText(chatId, text, mention);
        },
        this.options.retry,
        {
          clock: this.clock,
          onRetry: (error, attempt) =>
            this.options.logger.warn({ err: error, channelId: this.channelId, conversationId: this.logChatId(chatId), attempt }, 'send failed; retrying'),
        },
      );
    } catch (error) {
      this.failures += 1;
      this.options.logger.error(
        { err: error, code: 'ADAPTER_SEND_FAILED', channelId: this.channelId, conversationId: this.logChatId(chatId), attempts: this.options.retry.attempts },
        'message not delivered after retries',
      );
      // The cause's words reach the agent console as the failure reason (e.g. "outside the 24-hour window").
      const reason = error instanceof Error ? error.message : String(error);
      const Failure = this.options.retry.retryable?.(error) === false ? MessageRefusedError : AdapterError;
      throw new Failure('ADAPTER_SEND_FAILED', `${this.channelId}: message not delivered (${reason})`, { cause: error });
    }
  }

  /** A reply naming an offered choice becomes that choice's value, as a tap on its button would send. */
  private pickChoice(activity: Partial<Activity>): Partial<Activity> {
    const chatId = activity.conversation?.id;
    if (!chatId || activity.type !== ActivityTypes.Message) return activity;
    const offered = this.offered.get(chatId);
    if (!offered || !activity.text) return activity;
    this.offered.delete(chatId);
    const choice = recognizeChoice(activity.text, offered);
    if (!choice) return activity;
    return {
      ...activity,
      text: actionValueText(choice),
      channelData: { ...(activity.channelData as object | undefined), typedText: activity.text, choiceTitle: choice.title },
    };
  }

  /** A chat as log lines name it. */
  logChatId(chatId: string): string {
    return this.logPseudonym(this.channelId, chatId);
  }

  private async replyNotice(context: TurnContext, key: string): Promise<void> {
    const locale = getReplyLocale(context) ?? 'en';
    await context.sendActivity(this.options.i18n.t(key, { lng: locale }));
  }

  private wording(locale: string): ChoiceWording {
    const t = (key: string) => this.options.i18n.t(`channels:choices.${key}`, { lng: locale, numbers: '{{numbers}}' });
    return { reply: t('reply'), separator: t('separator'), or: t('or'), menu: t('menu') };
  }
}
