import type { Channel, ChannelStatus } from '../../src/channels/channel-registry.js';
import type { Logger } from '../../src/logger.js';
import { createSessionAdapter, sessionStatus, type SessionChannelOptions } from '../shared/session-channel.js';
import type { TextChannelAdapter, ChatTransport, InboundMessage, Mention } from '../shared/text-channel-adapter.js';
import { renderForWhatsapp, WHATSAPP_CAPABILITIES } from './render.js';
import { whatsappToActivity, type WhatsappInbound } from './to-activity.js';

type InboundFields = WhatsappInbound['message'];

/** The message object whatsapp-web.js emits, as far as we use it. */
export interface WhatsappMessage extends InboundFields {
  getChat(): Promise<WhatsappInbound['chat']>;
  getContact(): Promise<NonNullable<WhatsappInbound['contact']>>;
}

/** The part of whatsapp-web.js's `Client` the channel uses; tests pass a fake with the same events. */
export interface WhatsappClient {
  info?: { wid: { _serialized: string; user?: string }; pushname?: string } | undefined;
  on(event: 'qr', listener: (qr: string) => void): unknown;
  on(event: 'authenticated' | 'ready', listener: () => void): unknown;
  on(event: 'auth_failure' | 'disconnected', listener: (reason: string) => void): unknown;
  on(event: 'message', listener: (message: WhatsappMessage) => void): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  sendMessage(chatId: string, content: string, options?: { mentions?: string[] }): Promise<{ id: { _serialized: string } }>;
}

export interface WhatsappChannelOptions extends SessionChannelOptions {
  readonly client: WhatsappClient;
}

/** The WhatsApp channel: a whatsapp-web.js session, its pairing state, and its TextChannelAdapter. */
export class WhatsappChannel implements Channel {
  readonly id = 'whatsapp';
  readonly adapter: TextChannelAdapter;
  private readonly options: WhatsappChannelOptions;
  private readonly logger: Logger;
  private state: ChannelStatus['state'] = 'connecting';
  private loggedInAs: string | undefined;
  private qrCode: string | undefined;
  private detail: string | undefined;
  private initializing: Promise<void> | undefined;

  constructor(options: WhatsappChannelOptions) {
    this.options = options;
    this.logger = options.logger.child({ channelId: 'whatsapp' });
    this.adapter = createSessionAdapter(
      'whatsapp',
      options,
      this.logger,
      (activity, wording, maxTextLength) => renderForWhatsapp(activity, wording, { ...WHATSAPP_CAPABILITIES, maxTextLength }),
      this.transport(),
    );
    this.listen();
  }

  status(): ChannelStatus {
    const session = { state: this.state, loggedInAs: this.loggedInAs, qrCode: this.qrCode, detail: this.detail };
    return sessionStatus(this.id, session, this.adapter, this.options.delivery.required);
  }

  /** Starts the browser session without waiting for a pairing: the QR code shows on /admin/channels meanwhile. */
  async start(): Promise<void> {
    this.logger.info('starting the WhatsApp Web session');
    this.initializing = this.options.client.initialize().catch((error: unknown) => {
      this.state = 'down';
      this.detail = `could not start WhatsApp Web: ${(error as Error).message}`;
      this.logger.error({ err: error }, 'WhatsApp Web did not start');
    });
  }

  async stop(): Promise<void> {
    await this.adapter.idle();
    await this.initializing;
    await this.options.client.destroy();
    this.state = 'down';
    this.detail = 'stopped';
  }

  private listen(): void {
    const { client } = this.options;
    client.on('qr', (qr) => {
      this.qrCode = qr;
      this.state = this.loggedInAs ? 'logged-out' : 'connecting';
      this.detail = 'waiting for the pairing QR code to be scanned (see /admin/channels)';
      this.logger.warn('WhatsApp needs pairing: scan the QR code in the terminal or on /admin/channels (Linked devices)');
      this.options.printQrCode?.(qr);
    });
    client.on('authenticated', () => {
      this.qrCode = undefined;
      this.detail = 'authenticated; loading chats';
      this.logger.info('WhatsApp authenticated');
    });
    client.on('ready', () => {
      const info = client.info;
      this.state = 'connected';
      this.qrCode = undefined;
      this.detail = undefined;
      this.loggedInAs = info ? `${info.pushname ?? ''} +${info.wid.user ?? info.wid._serialized.split('@')[0]}`.trim() : 'unknown';
      this.logger.info({ loggedInAs: this.loggedInAs }, 'WhatsApp ready');
    });
    client.on('auth_failure', (reason) => {
      this.state = 'down';
      this.detail = `authentication failed: ${reason}; delete the session directory and pair again`;
      this.logger.error({ reason }, 'WhatsApp authentication failed');
    });
    client.on('disconnected', (reason) => {
      this.state = 'logged-out';
      this.detail = `disconnected: ${reason}`;
      this.logger.warn({ reason }, 'WhatsApp disconnected');
    });
    client.on('message', (message) => {
      if (message.fromMe) return;
      this.adapter
        .receive(message.id.remote || message.from, () => this.parse(message), this.options.logic)
        // The message id holds the chat id, a phone number: the line names the chat by its pseudonym.
        .catch((error: unknown) => this.logger.error({ err: error, conversationId: this.adapter.logChatId(message.id.remote || message.from) }, 'WhatsApp message could not be handled'));
    });
  }

  /** The I/O half of parsing: the chat and the sender's contact, then the pure `whatsappToActivity`. */
  private async parse(message: WhatsappMessage): Promise<InboundMessage | null> {
    const selfId = this.options.client.info?.wid._serialized;
    if (!selfId) return null;
    const [chat, contact] = await Promise.all([message.getChat(), message.getContact().catch(() => undefined)]);
    return whatsappToActivity({
      message,
      chat: { id: { _serialized: chat.id._serialized }, isGroup: chat.isGroup, name: chat.name },
      contact: contact ? { number: contact.number, pushname: contact.pushname, name: contact.name } : undefined,
      selfId,
    });
  }

  /** Sends by chat id straight through the client, so stored references work after a restart. */
  private transport(): ChatTransport {
    return {
      sendText: async (chatId: string, text: string, mention: Mention | undefined) => {
        const { client } = this.options;
        const sent = mention
          ? await client.sendMessage(chatId, `@${mention.id.split('@')[0]} ${text}`, { mentions: [mention.id] })
          : await client.sendMessage(chatId, text);
        return sent.id._serialized;
      },
    };
  }
}
