import { createHash } from 'node:crypto';

/**
 * Analytics never stores raw user or conversation ids (a WhatsApp id is a phone number):
 * it stores a stable hash, and export/delete hash the id they are given the same way.
 */
export function userKey(userId: string): string {
  return createHash('sha256').update(`user:${userId}`).digest('hex').slice(0, 32);
}

export function conversationKey(channelId: string, conversationId: string): string {
  return createHash('sha256').update(`conversation:${channelId}/${conversationId}`).digest('hex').slice(0, 32);
}
