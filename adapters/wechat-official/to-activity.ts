import type { Activity } from 'botbuilder';
import type { InboundMessage } from '../shared/text-channel-adapter.js';
import type { WxFields } from './wx-xml.js';

/** Message types a customer sends that we answer with "I can read text messages only". */
const MEDIA_TYPES: ReadonlySet<string> = new Set(['image', 'voice', 'video', 'shortvideo', 'location', 'link', 'file', 'miniprogrampage']);

interface WxParseOptions {
  /** The Activity channel id: `wechat-official` or `wecom`. */
  readonly channelId: string;
  /** A menu CLICK's EventKey → the intent it asks for; undefined when no loaded intent answers it. */
  readonly menuIntent: (eventKey: string) => string | undefined;
  /**
   * The account's default locale: WeChat tells nothing of the user's language, so a greeting or a
   * menu answer goes in this one unless the identity directory or the conversation knows better.
   */
  readonly locale: string;
}

/**
 * One decrypted WeChat Official Account or WeCom callback (the same XML schema) → the Activity
 * carebot runs, or null for what we do not answer (unsubscribe, view, location reports...).
 * `subscribe` becomes a conversationUpdate the bot greets; a menu CLICK becomes a message naming
 * its intent, or one answered with "not available" when its key maps to none.
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
    locale: options.locale,
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
    const menuKey = fields.EventKey ?? '';
    const intent = options.menuIntent(menuKey);
    return {
      // No words to classify: the intent itself is the message, and the reply goes in the conversation's language.
      activity: { ...base, type: 'message', id: messageId, text: '', value: { chosenIntent: intent }, channelData: { [options.channelId]: { msgType: type, menuKey } } },
      messageId,
      unsupportedMedia: false,
      notice: intent ? undefined : 'channels:menuUnavailable',
    };
  }
  return null;
}
