import { createHmac } from 'node:crypto';

/**
 * Analytics never stores raw user or conversation ids (a WhatsApp id is a phone number): it
 * stores a keyed hash (HMAC-SHA256 with the installation's secret), and export/delete hash the
 * id they are given the same way. An unkeyed hash would not protect a phone number: there are
 * few enough Hong Kong mobile numbers to hash them all in a minute and look the ids up.
 */
export class AnalyticsKeys {
  constructor(private readonly secret: string | Buffer) {
    if (secret.length < 16) throw new Error('the analytics hash secret must be at least 16 bytes');
  }

  user(userId: string): string {
    return this.hash(`user:${userId}`);
  }

  conversation(channelId: string, conversationId: string): string {
    return this.hash(`conversation:${channelId}/${conversationId}`);
  }

  private hash(value: string): string {
    return createHmac('sha256', this.secret).update(value).digest('hex').slice(0, 32);
  }
}
