import type { Activity } from 'botbuilder';
import { expect } from 'chai';
import { MemoryDedupeStore } from '../../adapters/shared/dedupe-store.js';
import { SendPacer } from '../../adapters/shared/send-pacer.js';
import { TextChannelAdapter } from '../../adapters/shared/text-channel-adapter.js';
import { renderForWechat } from '../../adapters/wechat/render.js';
import { memoryLogger } from '../support/silent-logger.js';
import { choicesLogic, testI18n } from './support.js';

describe('text channel adapter: the choices offered per chat are bounded', () => {
  it('remembers the choices of at most maxChatsWithChoices chats; the chat offered them longest ago loses them first', async () => {
    const sent: { chatId: string; text: string }[] = [];
    const adapter = new TextChannelAdapter({
      channelId: 'wechat',
      render: renderForWechat,
      transport: { sendText: async (chatId, text) => void sent.push({ chatId, text }) },
      i18n: await testI18n(),
      logger: memoryLogger('silent').logger,
      dedupe: new MemoryDedupeStore(60_000),
      limiter: new SendPacer({ perChatPerSecond: 1e6, overallPerSecond: 1e6 }),
      retry: { attempts: 1, baseDelayMs: 1 },
      maxChatsWithChoices: 2,
    });
    let id = 0;
    const say = async (chatId: string, text: string): Promise<string | undefined> => {
      const messageId = `m-${++id}`;
      const activity: Partial<Activity> = {
        type: 'message', id: messageId, channelId: 'wechat', serviceUrl: 'wechat://', text,
        conversation: { id: chatId, isGroup: false, name: '', conversationType: 'personal' }, from: { id: chatId, name: 'C' }, recipient: { id: 'bot', name: 'bot' },
      };
      await adapter.receive(chatId, async () => ({ messageId, unsupportedMedia: false, activity }), choicesLogic);
      await adapter.idle();
      return sent.filter((message) => message.chatId === chatId).at(-1)?.text;
    };

    for (const chat of ['chat-1', 'chat-2', 'chat-3']) expect(await say(chat, 'menu')).to.include('1. Check balance');
    expect(await say('chat-3', '2'), 'remembered').to.equal('echo: transfer');
    expect(await say('chat-1', '2'), 'forgotten when chat-3 was offered choices').to.equal('echo: 2');
  });
});
