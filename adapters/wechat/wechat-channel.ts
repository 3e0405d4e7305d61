import type { Contact, Message, Tag, Wechaty } from 'wechaty';
import type { Channel, ChannelStatus } from '../../src/channels/channel-registry.js';
import type { Logger } from '../../src/logger.js';
import { createSessionAdapter, sessionStatus, type SessionChannelOptions } from '../shared/session-channel.js';
import type { TextChannelAdapter, ChatTransport, InboundMessage, Mention } from '../shared/text-channel-adapter.js';
import { renderForWechat, WECHAT_CAPABILITIES } from './render.js';
import { wechatToActivity } from './to-activity.js';

/** wechaty's ScanStatus values we act on. */
const SCAN_WAITING = 2;
const SCAN_TIMEOUT = 5;

export interface WechatChannelOptions extends SessionChannelOptions {
  /** A Wechaty built with the configured puppet (tests: wechaty-puppet-mock). */
  readonly wechaty: Wechaty;
}

/**
 * The WeChat channel: a Wechaty session, its login state, and the TextChannelAdapter that turns
 * its messages into turns. Only one process may hold the session.
 */
export class WechatChannel implements Channel {
  readonly id = 'wechat';
  readonly adapter: TextChannelAdapter;
  private readonly options: WechatChannelOptions;
  private readonly logger: Logger;
  private state: ChannelStatus['state'] = 'connecting';
  private loggedInAs: string | undefined;
  private qrCode: string | undefined;
  private detail: string | undefined;
  private wasLoggedIn = false;

  constructor(options: WechatChannelOptions) {
    this.options = options;
    this.logger = options.logger.child({ channelId: 'wechat' });
    this.adapter = createSessionAdapter(
      'wechat',
      options,
      this.logger,
      (activity, wording, maxTextLength) => renderForWechat(activity, wording, { ...WECHAT_CAPABILITIES, maxTextLength }),
      this.transport(),
    );
    this.listen();
  }

  status(): ChannelStatus {
    const session = { state: this.state, loggedInAs: this.loggedInAs, qrCode: this.qrCode, detail: this.detail };
    return sessionStatus(this.id, session, this.adapter, this.options.delivery.required);
  }

  async start(): Promise<void> {
    this.logger.info('starting the WeChat session');
    await this.options.wechaty.start();
  }

  async stop(): Promise<void> {
    await this.adapter.idle();
    await this.options.wechaty.stop();
    this.state = 'down';
    this.detail = 'stopped';
  }

  private listen(): void {
    const { wechaty } = this.options;
    wechaty.on('scan', (qrCode: string, status: number) => {
      if (status === SCAN_WAITING || status === SCAN_TIMEOUT) {
        this.qrCode = qrCode;
        this.state = this.wasLoggedIn ? 'logged-out' : 'connecting';
        this.detail = 'waiting for the login QR code to be scanned (see /admin/channels)';
        this.logger.warn({ scanStatus: status }, 'WeChat needs a login: scan the QR code in the terminal or on /admin/channels');
        this.options.printQrCode?.(qrCode);
      } else {
        this.logger.info({ scanStatus: status }, 'WeChat login QR code scanned');
      }
    });
    wechaty.on('login', (user: Contact) => {
      this.wasLoggedIn = true;
      this.state = 'connected';
      this.loggedInAs = user.name();
      this.qrCode = undefined;
      this.detail = undefined;
      this.logger.info({ loggedInAs: this.loggedInAs }, 'WeChat logged in');
    });
    wechaty.on('logout', (_user: Contact, reason?: string) => {
      this.state = 'logged-out';
      this.detail = reason ? `logged out: ${reason}` : 'logged out';
      this.logger.warn({ reason }, 'WeChat logged out; waiting for a new login QR code');
    });
    wechaty.on('error', (error: Error) => {
      this.detail = error.message;
      this.logger.error({ err: error }, 'WeChat session error');
    });
    wechaty.on('message', (message: Message) => {
      if (message.self()) return;
      const chatId = message.room()?.id ?? message.talker().id;
      this.adapter
        .receive(chatId, () => this.parse(message), this.options.logic)
        .catch((error: unknown) => this.logger.error({ err: error, messageId: message.id }, 'WeChat message could not be handled'));
    });
  }

  /** The I/O half of parsing: resolve what the pure `wechatToActivity` needs. */
  private async parse(message: Message): Promise<InboundMessage | null> {
    const payload = message.payload;
    if (!payload) return null;
    const talker = message.talker();
    const room = message.room();
    const self = this.options.wechaty.currentUser;
    const [alias, tags, topic, mentionsSelf] = await Promise.all([
      talker.alias().catch(() => undefined),
      talker.tags().then((list: Tag[]) => list.map((tag) => tag.id)).catch(() => []),
      room ? room.topic().catch(() => undefined) : undefined,
      room ? message.mentionSelf().catch(() => false) : false,
    ]);
    const contact = talker.payload;
    return wechatToActivity({
      message: {
        id: payload.id,
        type: payload.type,
        talkerId: talker.id,
        roomId: room?.id,
        text: payload.text,
        timestamp: payload.timestamp,
        mentionIdList: 'mentionIdList' in payload ? payload.mentionIdList : undefined,
      },
      talker: { id: talker.id, name: talker.name(), alias, tags, type: contact?.type, city: contact?.city, province: contact?.province },
      room: room ? { id: room.id, topic } : undefined,
      self: { id: self.id, name: self.name() },
      mentionsSelf,
    });
  }

  /** Sends by chat id, resolving the room or contact from the session, so stored references work after a restart. */
  private transport(): ChatTransport {
    return {
      sendText: async (chatId: string, text: string, mention: Mention | undefined) => {
        const { wechaty } = this.options;
        const room = chatId.includes('@chatroom') || chatId.includes('@') ? await wechaty.Room.find({ id: chatId }) : undefined;
        if (room) {
          const mentioned = mention ? await wechaty.Contact.find({ id: mention.id }) : undefined;
          const sent = mentioned ? await room.say(text, mentioned) : await room.say(text);
          return sent ? sent.id : undefined;
        }
        const contact = await wechaty.Contact.find({ id: chatId });
        if (!contact) throw new Error(`WeChat chat ${chatId} not found in this session`);
        const sent = await contact.say(text);
        return sent ? sent.id : undefined;
      },
    };
  }
}
