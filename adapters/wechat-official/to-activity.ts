import type { Activity } from 'botbuilder';
import type { InboundMessage } from '../shared/text-channel-adapter.js';
import type { WxFields } from './wx-xml.js';

/** Message types a customer sends that we answer with "I can read text messages only". */
const MEDIA_TYPES: ReadonlySet<string> = new Set(['image', 'voice', 'video', 'shortvideo', 'location', 'link', 'file', 'miniprogrampage']);

interface WxParseOptions {
  /** The Activity channel id: `wechat-official` or `wecom`. */
  readonly channelId: string;
  /** Menu CLICK event keys → the text the bot runs as if the user had typed it. */
  readonly menu: Readonly<Record<string, string>>;
}

/**
 * One decrypted WeChat Official Account or WeCom callback (the same XML schema) → the Activity
 * carebot runs, or null for what we do not answer (unsubscribe, view, location reports, unknown
 * menu keys...). `subscribe` becomes a conversationUpdate the bot greets.
 */
export function wxToActivity(fields: WxFields, options: WxParseOptions): InboundMessage | null {
  const user = fields.FromUserName;
  const account = fields.ToUserName;
  const type = fields.MsgType;
  if (!user || !account || !type) return null;
  const createdSeconds = Number(fields.CreateTime);
  const base: Partial<Activity> = {
    channelId: options.channelId,
    serviceUrl: `${options.channelId}://`,
    timestamp: Number.isFinite(createdSeconds) ? new Date(createdSeconds * 1000) : new Date(),
    conversation: { id: user, isGroup: false, conversationType: 'personal', name: '' },
    from: { id: user, name: '', role: 'user' },
    recipient: { id: account, name: '', role: 'bot' },
    channelData: { [options.channelId]: { msgType: type, agentId: fields.AgentID } },
  };
  // Events carry no MsgId; WeChat's advice is FromUserName + CreateTime to deduplicate them.
  const messageId = fields.MsgId ?? `${user}-${fields.CreateTime ?? ''}-${fields.Event ?? ''}-${fields.EventKey ?? ''}`;

  if (type === 'text') {
    const text = (fields.Content ?? '').trim();
    if (!text) return null;
    return { activity: { ...base, type: 'message', id: messageId, text, textFormat: 'plain' }, messageId, unsupportedMedia: false };
  }
  if (MEDIA_TYPES.has(type)) {
    return {
      activity: { ...base, type: 'message', id: messageId, text: '', attachments: [{ contentType: `application/vnd.wechat.${type}`, name: type }] },
      messageId,
      unsupportedMedia: true,
    };
  }
  if (type !== 'event') return null;
  const event = (fields.Event ?? '').toLowerCase();
  if (event === 'subscribe' || event === 'enter_agent') {
    return {
      activity: { ...base, type: 'conversationUpdate', id: messageId, membersAdded: [{ id: user, name: '' }] },
      messageId,
      unsupportedMedia: false,
    };
  }
  if (event === 'click') {
    const text = fields.EventKey !== undefined ? options.menu[fields.EventKey] : undefined;
    if (!text) return null;
    return {
      activity: { ...base, type: 'message', id: messageId, text, textFormat: 'plain', channelData: { [options.channelId]: { msgType: type, menuKey: fields.EventKey } } },
      messageId,
      unsupportedMedia: false,
    };
  }
  return null;
}
