import type { Channel, ChannelStatus } from '../../src/channels/channel-registry.js';
import type { Logger } from '../../src/logger.js';
import type { InboundMessage, TextChannelAdapter, TurnLogic } from '../shared/text-channel-adapter.js';
import type { AccessTokenCache } from './access-token-cache.js';
import type { PassiveReplies } from './passive-replies.js';
import { wxToActivity } from './to-activity.js';
import { signatureMatches, wechatSignature, WxCryptError, type WxBizMsgCrypt } from './wx-biz-msg-crypt.js';
import { buildWxXml, parseWxXml, type WxFields } from './wx-xml.js';

/** Callbacks older or newer than this are refused: a captured request cannot be replayed later. */
const REPLAY_WINDOW_SECONDS = 300;

export type Query = Readonly<Record<string, unknown>>;

/** What the route answers: status and body (text/plain, or XML for a passive reply). */
export interface CallbackAnswer {
  readonly status: number;
  readonly body: string;
  readonly xml?: boolean;
}

export interface WxCallbackChannelOptions {
  readonly channelId: string;
  readonly adapter: TextChannelAdapter;
  readonly logic: TurnLogic;
  readonly logger: Logger;
  readonly token: string;
  /** Safe mode (Official Account with an EncodingAESKey) and WeCom: every body is encrypted. */
  readonly crypt: WxBizMsgCrypt | undefined;
  /** WeCom signs only with msg_signature; the Official Account also signs every request with `signature`. */
  readonly plainSignature: boolean;
  /** A menu CLICK's EventKey → the loaded intent it asks for. */
  readonly menuIntent: (eventKey: string) => string | undefined;
  /** The account's default locale (WeChat gives no user locale). */
  readonly locale: string;
  /** Adds what the platform's API knows of the sender (WeCom: department) before the turn, in the chat's order. */
  readonly enrich?: ((message: InboundMessage) => Promise<InboundMessage>) | undefined;
  readonly tokens: AccessTokenCache;
  /** Official Account: the first reply within this budget goes in the HTTP response. */
  readonly passive?: { readonly replies: PassiveReplies; readonly budgetMs: number } | undefined;
  readonly now?: () => number;
}

/**
 * A WeChat-style callback channel (Official Account, WeCom): verifies the platform's signature
 * and timestamp on every request, decrypts safe-mode bodies, and hands each message to the
 * shared TextChannelAdapter (dedupe, order, choices, rate limits, retries).
 */
export class WxCallbackChannel implements Channel {
  readonly id: string;
  readonly adapter: TextChannelAdapter;
  private verifiedAt: Date | undefined;

  constructor(private readonly options: WxCallbackChannelOptions) {
    this.id = options.channelId;
    this.adapter = options.adapter;
  }

  status(): ChannelStatus {
    const token = this.options.tokens.current;
    return {
      channelId: this.id,
      state: 'connected',
      lastMessageAt: this.adapter.lastMessageAt?.toISOString(),
      sendFailures: this.adapter.sendFailures,
      detail: [
        this.verifiedAt ? `webhook verified ${this.verifiedAt.toISOString()}` : 'webhook not verified yet',
        token
          ? `access token expires ${(token.expiresAt ?? token.refreshAt).toISOString()}, refreshed from ${token.refreshAt.toISOString()}`
          : 'no access token fetched by this process yet',
      ].join('; '),
      required: false,
    };
  }

  async stop(): Promise<void> {
    await this.adapter.idle();
  }

  /** The platform's URL verification: echo `echostr` (decrypted, when encrypted). */
  verifyUrl(query: Query): CallbackAnswer {
    const { timestamp, nonce, echostr } = strings(query, 'timestamp', 'nonce', 'echostr');
    if (!this.fresh(timestamp) || echostr === undefined) return unauthorized;
    let echo = echostr;
    if (this.options.plainSignature) {
      if (!signatureMatches(str(query.signature), wechatSignature(this.options.token, timestamp!, nonce ?? ''))) return unauthorized;
    } else {
      const { crypt } = this.options;
      if (!crypt || !crypt.verify(str(query.msg_signature), timestamp!, nonce ?? '', echostr)) return unauthorized;
      try {
        echo = crypt.decrypt(echostr);
      } catch {
        return unauthorized;
      }
    }
    this.verifiedAt = new Date(this.now());
    return { status: 200, body: echo };
  }

  /** One callback: verified, decrypted, deduplicated and answered (passively when the budget allows). */
  async receive(query: Query, body: string): Promise<CallbackAnswer> {
    const { timestamp, nonce } = strings(query, 'timestamp', 'nonce');
    if (!this.fresh(timestamp)) return unauthorized;
    if (this.options.plainSignature && !signatureMatches(str(query.signature), wechatSignature(this.options.token, timestamp!, nonce ?? ''))) {
      return unauthorized;
    }
    const outer = parseWxXml(body);
    if (!outer) return { status: 400, body: 'malformed XML' };
    const fields = this.open(outer, query, timestamp!, nonce ?? '');
    if (!fields) return unauthorized;

    const message = wxToActivity(fields, { channelId: this.id, menuIntent: this.options.menuIntent, locale: this.options.locale });
    if (!message) return success;
    const chatId = message.activity.conversation!.id;
    const { enrich } = this.options;
    const turn = this.adapter.receive(chatId, async () => (enrich ? enrich(message) : message), this.options.logic);
    turn.catch((error: unknown) => this.options.logger.error({ err: error, channelId: this.id, messageId: message.messageId }, 'callback turn failed'));
    const { passive } = this.options;
    if (!passive) return success;
    const reply = await passive.replies.await(chatId, passive.budgetMs, turn);
    if (reply === undefined) return success;
    return { status: 200, body: this.passiveXml(fields, reply, timestamp!, nonce ?? ''), xml: true };
  }

  /** The message fields: decrypted (and msg_signature checked) when encrypted; null when it is not ours. */
  private open(outer: WxFields, query: Query, timestamp: string, nonce: string): WxFields | null {
    const { crypt } = this.options;
    if (outer.Encrypt === undefined) return crypt ? null : outer;
    if (!crypt || !crypt.verify(str(query.msg_signature), timestamp, nonce, outer.Encrypt)) return null;
    try {
      return parseWxXml(crypt.decrypt(outer.Encrypt));
    } catch (error) {
      if (error instanceof WxCryptError) return null;
      throw error;
    }
  }

  private passiveXml(fields: WxFields, text: string, timestamp: string, nonce: string): string {
    const reply = buildWxXml({
      ToUserName: fields.FromUserName ?? '',
      FromUserName: fields.ToUserName ?? '',
      CreateTime: Math.floor(this.now() / 1000),
      MsgType: 'text',
      Content: text,
    });
    const { crypt } = this.options;
    if (!crypt) return reply;
    const encrypted = crypt.encrypt(reply);
    return buildWxXml({ Encrypt: encrypted, MsgSignature: crypt.signature(timestamp, nonce, encrypted), TimeStamp: Number(timestamp), Nonce: nonce });
  }

  private fresh(timestamp: string | undefined): boolean {
    const seconds = Number(timestamp);
    if (!timestamp || !Number.isInteger(seconds)) return false;
    return Math.abs(this.now() / 1000 - seconds) <= REPLAY_WINDOW_SECONDS;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

const unauthorized: CallbackAnswer = { status: 401, body: 'signature or timestamp rejected' };
const success: CallbackAnswer = { status: 200, body: 'success' };

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function strings<K extends string>(query: Query, ...keys: K[]): Record<K, string | undefined> {
  return Object.fromEntries(keys.map((key) => [key, str(query[key])])) as Record<K, string | undefined>;
}
