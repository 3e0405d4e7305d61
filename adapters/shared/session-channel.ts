import type { Activity } from 'botbuilder';
import type { ChannelStatus } from '../../src/channels/channel-registry.js';
import type { TextChannelDelivery } from '../../src/config/text-channel.js';
import type { I18n } from '../../src/i18n/create-i18n.js';
import type { OutboundDelivery } from '../../src/channels/outbound/outbound-delivery.js';
import type { Logger, LogPseudonym } from '../../src/logger.js';
import type { DedupeStore } from './dedupe-store.js';
import type { Clock } from './clock.js';
import { SendPacer } from './send-pacer.js';
import type { ChoiceWording } from './choices.js';
import type { RenderedText } from './render-text.js';
import { TextChannelAdapter, type ChatTransport, type TurnLogic } from './text-channel-adapter.js';

/** What every logged-in chat-app channel (WeChat, WhatsApp) is built from. */
export interface SessionChannelOptions {
  /** The turn every inbound message runs (the bot's `run`). */
  readonly logic: TurnLogic;
  /** Installs the shared middleware pipeline (`bot.attachTo`). */
  readonly attach: (adapter: TextChannelAdapter) => void;
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly delivery: TextChannelDelivery;
  readonly dedupe: DedupeStore;
  readonly clock?: Clock;
  /** Shows the login QR code in the terminal; the admin page shows it too. */
  readonly printQrCode?: (qrCode: string) => void;
  /** Queue for replies (BullMQ when Redis is configured); without it replies are sent in the turn. */
  readonly replyQueue?: OutboundDelivery | undefined;
  /** How chat ids appear in log lines (see TextChannelAdapterOptions.logPseudonym). */
  readonly logPseudonym?: LogPseudonym | undefined;
}

/** The TextChannelAdapter of a session channel, with the delivery limits from its configuration. */
export function createSessionAdapter(
  channelId: string,
  options: SessionChannelOptions,
  logger: Logger,
  render: (activity: Partial<Activity>, wording: ChoiceWording, maxTextLength: number) => RenderedText,
  transport: ChatTransport,
): TextChannelAdapter {
  const { delivery } = options;
  const adapter = new TextChannelAdapter({
    channelId,
    render: (activity, wording) => render(activity, wording, delivery.maxTextLength),
    transport,
    i18n: options.i18n,
    logger,
    dedupe: options.dedupe,
    limiter: new SendPacer({ perChatPerSecond: delivery.perChatPerSecond, overallPerSecond: delivery.overallPerSecond }, options.clock),
    retry: { attempts: delivery.sendAttempts, baseDelayMs: delivery.retryBaseMs },
    ...(options.clock ? { clock: options.clock } : {}),
    replyQueue: options.replyQueue,
    logPseudonym: options.logPseudonym,
  });
  options.attach(adapter);
  return adapter;
}

/** A session channel's login state as /readyz and /admin/channels show it. */
export interface SessionState {
  state: ChannelStatus['state'];
  loggedInAs: string | undefined;
  qrCode: string | undefined;
  detail: string | undefined;
}

export function sessionStatus(channelId: string, session: SessionState, adapter: TextChannelAdapter, required: boolean): ChannelStatus {
  return {
    channelId,
    state: session.state,
    loggedInAs: session.loggedInAs,
    lastMessageAt: adapter.lastMessageAt?.toISOString(),
    sendFailures: adapter.sendFailures,
    qrCode: session.qrCode,
    detail: session.detail,
    required,
  };
}
