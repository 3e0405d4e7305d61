import type { Activity } from 'botbuilder';
import type { InboundMessage } from '../shared/text-channel-adapter.js';

/** wechaty-puppet's `types.Message` values (kept here so this pure parser needs no SDK). */
export const WechatMessageType = {
  Unknown: 0,
  Attachment: 1,
  Audio: 2,
  Contact: 3,
  ChatHistory: 4,
  Emoticon: 5,
  Image: 6,
  Text: 7,
  Location: 8,
  MiniProgram: 9,
  GroupNote: 10,
  Transfer: 11,
  RedEnvelope: 12,
  Recalled: 13,
  Url: 14,
  Video: 15,
  Post: 16,
} as const;

/** wechaty-puppet's `types.Contact`: 1 individual, 2 official account, 3 corporation. */
const OFFICIAL_ACCOUNT = 2;

/** Media a customer sends that we answer with "I can read text messages only". */
const MEDIA_TYPES = new Map<number, string>([
  [WechatMessageType.Attachment, 'file'],
  [WechatMessageType.Audio, 'voice'],
  [WechatMessageType.Contact, 'contact-card'],
  [WechatMessageType.ChatHistory, 'chat-history'],
  [WechatMessageType.Emoticon, 'sticker'],
  [WechatMessageType.Image, 'image'],
  [WechatMessageType.Location, 'location'],
  [WechatMessageType.MiniProgram, 'mini-program'],
  [WechatMessageType.Transfer, 'transfer'],
  [WechatMessageType.RedEnvelope, 'red-packet'],
  [WechatMessageType.Url, 'link'],
  [WechatMessageType.Video, 'video'],
  [WechatMessageType.Post, 'post'],
]);

/** WeChat's own service accounts that send system notices, never customers. */
const SYSTEM_ACCOUNTS = new Set(['weixin', 'fmessage', 'newsapp', 'medianote', 'floatbottle', 'qqmail', 'qmessage', 'tmessage', 'notifymessage']);

/**
 * One WeChat message as the puppet describes it, with its talker, room and our own account
 * resolved (the I/O half lives in wechat-channel.ts). Fixtures in test/fixtures/wechat/ are this shape.
 */
export interface WechatInbound {
  /** The puppet's message payload (`puppet.messagePayload(id)`). */
  readonly message: {
    readonly id: string;
    readonly type: number;
    readonly talkerId: string;
    readonly roomId?: string | undefined;
    readonly listenerId?: string | undefined;
    readonly text?: string | undefined;
    readonly timestamp: number;
    readonly mentionIdList?: readonly string[] | undefined;
  };
  readonly talker: WechatContact;
  readonly room?: { readonly id: string; readonly topic?: string | undefined } | undefined;
  /** The logged-in account. */
  readonly self: { readonly id: string; readonly name: string };
  /** `message.mentionSelf()`: the room message @-mentions us. */
  readonly mentionsSelf: boolean;
}

export interface WechatContact {
  readonly id: string;
  readonly name: string;
  /** Our remark (备注) for the contact. */
  readonly alias?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  /** 1 individual, 2 official account, 3 corporation. */
  readonly type?: number | undefined;
  readonly city?: string | undefined;
  readonly province?: string | undefined;
}

/**
 * A WeChat message → the Activity carebot runs, or null for what we do not answer: our own
 * messages, system notices, official accounts, recalls, and room messages that do not mention us.
 */
export function wechatToActivity(inbound: WechatInbound): InboundMessage | null {
  const { message, talker, room, self } = inbound;
  if (message.talkerId === self.id || talker.id === self.id) return null;
  if (SYSTEM_ACCOUNTS.has(talker.id) || talker.type === OFFICIAL_ACCOUNT) return null;
  const media = MEDIA_TYPES.get(message.type);
  if (message.type !== WechatMessageType.Text && media === undefined) return null;
  if (room && !inbound.mentionsSelf) return null;

  const text = message.type === WechatMessageType.Text ? stripMention(message.text ?? '', self.name, Boolean(room)) : '';
  if (message.type === WechatMessageType.Text && !text) return null;

  const contact = {
    id: talker.id,
    name: talker.name,
    alias: talker.alias,
    tags: talker.tags ? [...talker.tags] : [],
    city: talker.city,
    province: talker.province,
  };
  const activity: Partial<Activity> = {
    type: 'message',
    id: message.id,
    channelId: 'wechat',
    serviceUrl: 'wechat://',
    timestamp: new Date(message.timestamp),
    conversation: room
      ? { id: room.id, isGroup: true, conversationType: 'group', name: room.topic ?? '' }
      : { id: talker.id, isGroup: false, conversationType: 'personal', name: talker.name },
    from: { id: talker.id, name: talker.name, role: 'user', properties: { wechat: contact } },
    recipient: { id: self.id, name: self.name, role: 'bot' },
    text,
    textFormat: 'plain',
    channelData: { wechat: { messageType: message.type, contact, roomTopic: room?.topic, media } },
  };
  if (media) activity.attachments = [{ contentType: `application/vnd.wechat.${media}`, name: media }];
  return { activity, messageId: message.id, unsupportedMedia: media !== undefined };
}

/** Removes "@<our name>" (followed by WeChat's U+2005 or a space) from a room message. */
function stripMention(text: string, selfName: string, inRoom: boolean): string {
  if (!inRoom || !selfName) return text.trim();
  const escaped = selfName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`@${escaped}(?:[\\u2005\\u0020]|$)`, 'gu'), ' ').replace(/\s+/gu, ' ').trim();
}
