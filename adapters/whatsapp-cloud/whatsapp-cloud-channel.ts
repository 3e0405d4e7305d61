import { ActivityTypes, type Activity, type ResourceResponse, type TurnContext } from 'botbuilder';
import { getReplyLocale } from '../../src/bot/turn-state.js';
import type { Channel, ChannelStatus, TurnLogic } from '../../src/channels/channel-registry.js';
import type { DeliveryReceipts } from '../../src/channels/delivery-receipts.js';
import type { Locale } from '../../src/config.js';
import type { TemplateLanguages } from '../../src/config/whatsapp-cloud.js';
import type { TextChannelDelivery } from '../../src/config/text-channel.js';
import { AdapterError } from '../../src/errors.js';
import { getOutboundOrigin, type OutboundDelivery } from '../../src/channels/outbound/outbound-delivery.js';
import type { I18n } from '../../src/i18n/create-i18n.js';
import type { Logger, LogPseudonym } from '../../src/logger.js';
import type { DedupeStore } from '../shared/dedupe-store.js';
import type { Clock } from '../shared/clock.js';
import { SendPacer } from '../shared/send-pacer.js';
import { TextChannelAdapter, type TextChannelAdapterOptions } from '../shared/text-channel-adapter.js';
import { isRetryableCloudError, type GraphClient } from './graph-client.js';
import type { CloudSendable } from './message-types.js';
import { renderCloudMessages, WHATSAPP_CLOUD_CAPABILITIES } from './render.js';
import type { SentMessageStore } from './sent-message-store.js';
import { withTemplate } from './template.js';
import { WHATSAPP_CLOUD_CHANNEL_ID, type CloudInbound } from './to-activity.js';
import type { CloudStatus } from './webhook-types.js';
import type { ServiceWindowStore } from './window-store.js';

export interface WhatsappCloudChannelOptions {
  readonly logic: TurnLogic;
  readonly attach: (adapter: TextChannelAdapter<CloudSendable>) => void;
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly delivery: TextChannelDelivery;
  readonly dedupe: DedupeStore;
  readonly client: GraphClient;
  readonly window: ServiceWindowStore;
  readonly sent: SentMessageStore;
  readonly receipts: DeliveryReceipts | undefined;
  readonly templateName: string | undefined;
  readonly templateLanguages: TemplateLanguages;
  readonly replyQueue?: OutboundDelivery | undefined;
  /** A wa_id is a phone number: log lines name the chat by its pseudonym. */
  readonly logPseudonym?: LogPseudonym | undefined;
  readonly clock?: Clock;
}

/**
 * The adapter of the Cloud API: the shared text channel, plus the 24-hour window for
 * proactive messages (template or a clear failure) and the link from each agent message to the
 * wamid its status webhooks will name.
 */
class WhatsappCloudAdapter extends TextChannelAdapter<CloudSendable> {
  constructor(
    options: TextChannelAdapterOptions<CloudSendable>,
    private readonly cloud: WhatsappCloudChannelOptions,
  ) {
    super(options);
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    // A reply to the customer's message is inside the window by definition (it opened it).
    if (context.activity.type === ActivityTypes.Message) return super.sendActivities(context, activities);
    const chatId = context.activity.conversation?.id;
    if (chatId && !(await this.cloud.window.isOpen(chatId))) {
      const { templateName, templateLanguages } = this.cloud;
      if (!templateName) {
        throw new AdapterError('ADAPTER_SEND_FAILED', 'not deliverable: the customer has not written in 24 hours (WhatsApp customer-service window) and WHATSAPP_CLOUD_TEMPLATE_NAME is not set');
      }
      const locale = (activities[0]?.locale ?? getReplyLocale(context) ?? context.activity.locale ?? 'en') as Locale;
      const languageCode = templateLanguages[locale] ?? templateLanguages.en;
      activities = activities.map((activity) => (activity.type && activity.type !== 'message' ? activity : withTemplate(activity, { name: templateName, languageCode })));
    }
    const responses = await super.sendActivities(context, activities);
    const origin = getOutboundOrigin(context);
    if (origin?.handoffId && origin.messageId) {
      for (const { id } of responses) if (id) await this.cloud.sent.remember(id, { handoffId: origin.handoffId, messageId: origin.messageId, agentId: origin.agentId });
    }
    return responses;
  }
}

/** The WhatsApp Business Platform channel: webhooks in (see webhook-router.ts), Graph API out. */
export class WhatsappCloudChannel implements Channel {
  readonly id = WHATSAPP_CLOUD_CHANNEL_ID;
  readonly adapter: TextChannelAdapter<CloudSendable>;
  private readonly logger: Logger;
  private verifiedAt: Date | undefined;
  private statusFailures = 0;

  constructor(private readonly options: WhatsappCloudChannelOptions) {
    this.logger = options.logger.child({ channelId: this.id });
    const { delivery, client } = options;
    this.adapter = new WhatsappCloudAdapter(
      {
        channelId: this.id,
        render: (activity, wording) => renderCloudMessages(activity, wording, { ...WHATSAPP_CLOUD_CAPABILITIES, maxTextLength: delivery.maxTextLength }),
        transport: { sendText: (chatId, message) => client.sendMessage(chatId, message) },
        i18n: options.i18n,
        logger: this.logger,
        dedupe: options.dedupe,
        limiter: new SendPacer({ perChatPerSecond: delivery.perChatPerSecond, overallPerSecond: delivery.overallPerSecond }, options.clock),
        retry: { attempts: delivery.sendAttempts, baseDelayMs: delivery.retryBaseMs, retryable: isRetryableCloudError },
        ...(options.clock ? { clock: options.clock } : {}),
        replyQueue: options.replyQueue,
        logPseudonym: options.logPseudonym,
      },
      options,
    );
    options.attach(this.adapter);
  }

  status(): ChannelStatus {
    return {
      channelId: this.id,
      // Nothing to log in to: the channel works as soon as Meta can reach the webhook.
      state: 'connected',
      lastMessageAt: this.adapter.lastMessageAt?.toISOString(),
      sendFailures: this.adapter.sendFailures + this.statusFailures,
      detail: this.verifiedAt ? `webhook verified by Meta at ${this.verifiedAt.toISOString()}` : 'webhook not verified since start (Meta verifies it when the callback URL is saved)',
      required: this.options.delivery.required,
    };
  }

  webhookVerified(): void {
    this.verifiedAt = new Date();
  }

  /** One customer message: it opens the 24-hour window from when it was written, then takes its turn in order for its chat. */
  receive(inbound: CloudInbound): Promise<void> {
    // Queued at once (idle() then covers it). The window runs from the message's own timestamp,
    // so Meta redelivering an old message (before dedupe drops it) cannot reopen a closed window.
    const now = this.options.clock?.now() ?? Date.now();
    const written = inbound.activity.timestamp ? new Date(inbound.activity.timestamp).getTime() : Number.NaN;
    const wroteAt = Number.isFinite(written) ? written : now;
    // A signed webhook replayed after the dedupe store forgot its wamid would be answered again:
    // a message older than that is set aside (logged), as the WeChat channels refuse old timestamps.
    if (now - wroteAt > this.options.delivery.dedupeTtlSeconds * 1000) {
      this.logger.warn({ messageId: inbound.messageId, writtenAt: new Date(wroteAt).toISOString() }, 'message older than the dedupe window not answered (a replay, or held back by Meta that long)');
      return Promise.resolve();
    }
    return this.adapter.receive(
      inbound.chatId,
      async () => {
        await this.options.window.touch(inbound.chatId, wroteAt);
        return inbound;
      },
      this.options.logic,
    );
  }

  /** A status webhook: updates the agent message it belongs to (other messages have no record to update). */
  async receiveStatus(status: CloudStatus): Promise<void> {
    const error = status.errors?.[0];
    const reason = error ? `${error.code ?? ''} ${error.title ?? error.message ?? ''}${error.error_data?.details ? `: ${error.error_data.details}` : ''}`.trim() : undefined;
    if (status.status === 'failed') {
      this.statusFailures += 1;
      // A wamid is the customer's phone number in base64.
      this.logger.warn({ wamid: this.adapter.logPseudonym('message', status.id), code: error?.code, reason }, 'WhatsApp reports a message as not delivered');
    }
    if (!['sent', 'delivered', 'read', 'failed'].includes(status.status)) return;
    const origin = await this.options.sent.lookup(status.id);
    if (!origin || !this.options.receipts) return;
    await this.options.receipts.publish({ origin, status: status.status as 'sent' | 'delivered' | 'read' | 'failed', error: reason });
  }

  /** Resolves once every message received so far has had its turn. */
  idle(): Promise<void> {
    return this.adapter.idle();
  }
}
