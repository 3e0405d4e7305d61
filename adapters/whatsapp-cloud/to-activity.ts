import type { Activity } from 'botbuilder';
import type { InboundMessage } from '../shared/text-channel-adapter.js';
import { countryCallingCode, localeForCallingCode } from '../whatsapp/phone-locale.js';
import type { CloudChangeValue, CloudMessage, CloudStatus, CloudWebhook } from './webhook-types.js';

export const WHATSAPP_CLOUD_CHANNEL_ID = 'whatsapp-cloud';

const MEDIA_TYPES = new Set(['image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', 'order']);

/** One customer message of a webhook, with the chat (the sender's wa_id) it belongs to. */
export interface CloudInbound extends InboundMessage {
  readonly chatId: string;
}

/** What one webhook body carries: customer messages and delivery statuses of what we sent. */
export interface CloudWebhookEvents {
  readonly messages: CloudInbound[];
  readonly statuses: CloudStatus[];
}

/** Splits a webhook body into the messages and statuses carebot handles; anything else is ignored. */
export function readWebhook(body: CloudWebhook, phoneNumberId: string): CloudWebhookEvents {
  const messages: CloudInbound[] = [];
  const statuses: CloudStatus[] = [];
  if (body.object !== 'whatsapp_business_account') return { messages, statuses };
  for (const entry of body.entry ?? []) {
    for (const change of entry.changes ?? []) {
      const value = change.value;
      // One app may serve several numbers: only ours.
      if (change.field !== 'messages' || !value || value.metadata?.phone_number_id !== phoneNumberId) continue;
      for (const message of value.messages ?? []) {
        const inbound = cloudMessageToActivity(message, value);
        if (inbound) messages.push(inbound);
      }
      statuses.push(...(value.statuses ?? []).filter((status) => typeof status.id === 'string' && typeof status.status === 'string'));
    }
  }
  return { messages, statuses };
}

/**
 * A Cloud API message → the Activity carebot runs, or null for what we do not answer
 * (reactions, system notices, empty texts). A tapped reply button or list row becomes its id,
 * the value carebot offered; media is answered with "text only".
 */
export function cloudMessageToActivity(message: CloudMessage, value: CloudChangeValue): CloudInbound | null {
  if (!message.id || !message.from) return null;
  const media = MEDIA_TYPES.has(message.type);
  const picked = pickedReply(message);
  const text = message.type === 'text' ? (message.text?.body ?? '').trim() : (picked?.value ?? '');
  if (!media && !text) return null;

  const waId = message.from;
  const phone = `+${waId.replace(/\D/gu, '')}`;
  const countryCode = countryCallingCode(phone);
  const profileName = value.contacts?.find((contact) => contact.wa_id === waId)?.profile?.name;
  const name = profileName ?? phone;
  const contact = { id: waId, phone, countryCode, name };
  const selfId = value.metadata?.phone_number_id ?? '';
  const activity: Partial<Activity> = {
    type: 'message',
    id: message.id,
    channelId: WHATSAPP_CLOUD_CHANNEL_ID,
    serviceUrl: 'whatsapp-cloud://',
    timestamp: new Date(Number(message.timestamp) * 1000),
    locale: localeForCallingCode(countryCode),
    conversation: { id: waId, isGroup: false, conversationType: 'personal', name },
    from: { id: waId, name, role: 'user', properties: { [WHATSAPP_CLOUD_CHANNEL_ID]: contact } },
    recipient: { id: selfId, name: 'carebot', role: 'bot' },
    text,
    textFormat: 'plain',
    channelData: {
      [WHATSAPP_CLOUD_CHANNEL_ID]: { messageType: message.type, contact, media: media ? message.type : undefined },
      ...(picked ? { choiceTitle: picked.title } : {}),
    },
  };
  if (media) activity.attachments = [{ contentType: `application/vnd.whatsapp.${message.type}`, name: message.type }];
  return { activity, messageId: message.id, unsupportedMedia: media, chatId: waId };
}

function pickedReply(message: CloudMessage): { value: string; title: string } | undefined {
  if (message.type === 'interactive') {
    const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
    if (!reply) return undefined;
    const value = reply.id ?? reply.title ?? '';
    return value ? { value, title: reply.title ?? value } : undefined;
  }
  if (message.type === 'button' && message.button) {
    const value = message.button.payload ?? message.button.text ?? '';
    return value ? { value, title: message.button.text ?? value } : undefined;
  }
  return undefined;
}
