import type { Activity } from 'botbuilder';
import type { InboundMessage } from '../shared/text-channel-adapter.js';
import { countryCallingCode, localeForCallingCode } from './phone-locale.js';

/**
 * One whatsapp-web.js message with its chat and sender resolved (the I/O half lives in
 * whatsapp-channel.ts). The fields are whatsapp-web.js's own (`Message`, `Chat`, `Contact`);
 * fixtures in test/fixtures/whatsapp/ are this shape.
 */
export interface WhatsappInbound {
  readonly message: {
    readonly id: { readonly _serialized: string; readonly fromMe: boolean; readonly remote: string; readonly id: string };
    readonly body: string;
    /** whatsapp-web.js `MessageTypes`: chat, image, ptt, sticker, e2e_notification... */
    readonly type: string;
    readonly timestamp: number;
    readonly from: string;
    readonly to: string;
    /** The sender in a group chat. */
    readonly author?: string | undefined;
    readonly fromMe: boolean;
    readonly isStatus?: boolean | undefined;
    readonly hasMedia?: boolean | undefined;
    readonly mentionedIds?: readonly string[] | undefined;
    readonly _data?: { readonly notifyName?: string | undefined } | undefined;
  };
  readonly chat: { readonly id: { readonly _serialized: string }; readonly isGroup: boolean; readonly name?: string | undefined };
  readonly contact?: { readonly number?: string | undefined; readonly pushname?: string | undefined; readonly name?: string | undefined } | undefined;
  /** Our own WhatsApp id (`client.info.wid._serialized`). */
  readonly selfId: string;
}

const MEDIA_TYPES = new Set([
  'image', 'video', 'audio', 'ptt', 'document', 'sticker', 'location', 'vcard', 'multi_vcard', 'album',
  'payment', 'order', 'product', 'poll_creation', 'scheduled_event_creation', 'groups_v4_invite',
]);

/**
 * A WhatsApp message → the Activity carebot runs, or null for what we do not answer: our own
 * messages, status broadcasts, notifications, reactions, revokes, and group messages that do not
 * mention us.
 */
export function whatsappToActivity(inbound: WhatsappInbound): InboundMessage | null {
  const { message, chat, selfId } = inbound;
  if (message.fromMe || message.id.fromMe || message.isStatus || message.from === 'status@broadcast') return null;
  const media = MEDIA_TYPES.has(message.type);
  if (message.type !== 'chat' && !media) return null;
  const isGroup = chat.isGroup || chat.id._serialized.endsWith('@g.us');
  if (isGroup && !(message.mentionedIds ?? []).includes(selfId)) return null;

  const text = message.type === 'chat' ? stripMention(message.body, selfId) : '';
  if (message.type === 'chat' && !text) return null;

  const senderId = isGroup ? (message.author ?? message.from) : message.from;
  const number = inbound.contact?.number ?? (senderId.endsWith('@c.us') ? senderId.split('@')[0] : undefined);
  const phone = number ? `+${number.replace(/\D/gu, '')}` : undefined;
  const countryCode = phone ? countryCallingCode(phone) : undefined;
  const name = message._data?.notifyName ?? inbound.contact?.pushname ?? inbound.contact?.name ?? phone ?? senderId;
  const contact = { id: senderId, phone, countryCode, name };
  const activity: Partial<Activity> = {
    type: 'message',
    id: message.id._serialized,
    channelId: 'whatsapp',
    serviceUrl: 'whatsapp://',
    timestamp: new Date(message.timestamp * 1000),
    locale: localeForCallingCode(countryCode),
    conversation: isGroup
      ? { id: chat.id._serialized, isGroup: true, conversationType: 'group', name: chat.name ?? '' }
      : { id: chat.id._serialized, isGroup: false, conversationType: 'personal', name },
    from: { id: senderId, name, role: 'user', properties: { whatsapp: contact } },
    recipient: { id: selfId, name: 'carebot', role: 'bot' },
    text,
    textFormat: 'plain',
    channelData: { whatsapp: { messageType: message.type, contact, media: media ? message.type : undefined } },
  };
  if (media) activity.attachments = [{ contentType: `application/vnd.whatsapp.${message.type}`, name: message.type }];
  return { activity, messageId: message.id._serialized, unsupportedMedia: media };
}

/** Removes "@<our number>" from a group message body. */
function stripMention(body: string, selfId: string): string {
  const user = selfId.split('@')[0] ?? '';
  if (!user) return body.trim();
  return body.replace(new RegExp(`@${user}\\b`, 'gu'), ' ').replace(/\s+/gu, ' ').trim();
}
