import type { Activity } from 'botbuilder';
import type { HandoffPayload } from './types.js';

/** The transcript key of the conversation an activity belongs to. */
export function conversationKey(activity: Partial<Activity>): string {
  return conversationKeyOf(activity.channelId ?? '', activity.conversation?.id ?? '');
}

/** The transcript key of a channel's conversation. */
export function conversationKeyOf(channelId: string, conversationId: string): string {
  return `${channelId}/${conversationId}`;
}

/** The customer's key for agent affinity (the same person on the same channel). */
export function customerKey(payload: HandoffPayload): string {
  return customerKeyOf(payload.channelId, payload.customer.id);
}

export function customerKeyOf(channelId: string, customerId: string): string {
  return `${channelId}/${customerId}`;
}
