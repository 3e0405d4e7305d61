import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WhatsappClient, WhatsappMessage } from '../../adapters/whatsapp/whatsapp-channel.js';
import type { WhatsappInbound } from '../../adapters/whatsapp/to-activity.js';
import { projectRoot } from '../../src/project-root.js';

export const SELF_ID = '85260001111@c.us';

export function whatsappFixture(name: string): WhatsappInbound {
  return JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'whatsapp', `${name}.json`), 'utf8')) as WhatsappInbound;
}

export interface SentMessage {
  chatId: string;
  content: string;
  options: { mentions?: string[] } | undefined;
}

/**
 * Stands in for whatsapp-web.js's Client: the same events (qr, authenticated, ready,
 * disconnected, auth_failure, message) with message objects shaped like the recorded fixtures.
 */
export class FakeWhatsappClient extends EventEmitter implements WhatsappClient {
  info: WhatsappClient['info'] = undefined;
  readonly sent: SentMessage[] = [];
  /** The next this-many sends throw, as a dropped connection would. */
  failSends = 0;
  private sequence = 0;

  async initialize(): Promise<void> {
    this.emit('qr', '2@Xb7k1Q+fake-pairing-code,Zt0m1Lw0vK9c=,0x9f3e=');
  }

  async destroy(): Promise<void> {
    this.removeAllListeners();
  }

  /** The phone scanned the QR code. */
  pair(pushname = 'Carebot HK'): void {
    this.info = { wid: { _serialized: SELF_ID, user: SELF_ID.split('@')[0] ?? '' }, pushname };
    this.emit('authenticated');
    this.emit('ready');
  }

  async sendMessage(chatId: string, content: string, options?: { mentions?: string[] }): Promise<{ id: { _serialized: string } }> {
    if (this.failSends > 0) {
      this.failSends -= 1;
      throw new Error('Evaluation failed: Protocol error (Runtime.callFunctionOn): Target closed.');
    }
    this.sent.push({ chatId, content, options });
    this.sequence += 1;
    return { id: { _serialized: `true_${chatId}_3EB0SENT${this.sequence}` } };
  }

  /** Emits a message event built from a fixture, with overrides (body, id, sender). */
  receive(fixture: WhatsappInbound, overrides: { body?: string; id?: string; from?: string; name?: string } = {}): WhatsappMessage {
    this.sequence += 1;
    const id = overrides.id ?? `3EB0IN${this.sequence}`;
    const from = overrides.from ?? fixture.message.from;
    const chatId = fixture.chat.isGroup ? fixture.chat.id._serialized : from;
    const message: WhatsappMessage = {
      ...fixture.message,
      id: { ...fixture.message.id, id, remote: chatId, _serialized: `false_${chatId}_${id}` },
      from,
      body: overrides.body ?? fixture.message.body,
      _data: { ...fixture.message._data, notifyName: overrides.name ?? fixture.message._data?.notifyName },
      getChat: async () => ({ ...fixture.chat, id: { _serialized: chatId } }),
      getContact: async () => ({ ...fixture.contact, number: fixture.chat.isGroup ? fixture.contact?.number : from.split('@')[0] }),
    };
    this.emit('message', message);
    return message;
  }

  /** Replays an already delivered message object (WhatsApp Web redelivers after a reconnect). */
  redeliver(message: WhatsappMessage): void {
    this.emit('message', message);
  }
}
