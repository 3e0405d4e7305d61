import { expect } from 'chai';
import { MemoryStorage, type StoreItems } from 'botbuilder';
import { StorageError } from '../../src/errors.js';
import { ConsoleAdapter } from '../../adapters/console/console-adapter.js';
import { createTestBot } from '../support/test-bot.js';

describe('CarebotBot (placeholder behaviour before NLU and dialogs)', () => {
  it('greets in the language of the greeting', async () => {
    const { adapter } = await createTestBot();
    await adapter
      .send('hello')
      .assertReply((reply) => {
        expect(reply.text).to.match(/^Hello! I'm carebot/);
        expect(reply.locale).to.equal('en');
      })
      .send('你好')
      .assertReply((reply) => {
        expect(reply.text).to.match(/^您好！我是 carebot/);
        expect(reply.locale).to.equal('zh-CN');
      })
      .startTest();
  });

  it('says it does not understand yet, in English, Mandarin and Cantonese', async () => {
    const { adapter } = await createTestBot();
    await adapter
      .send('what is my balance')
      .assertReply("Sorry, I don't understand that yet.")
      .send('我想查一下余额')
      .assertReply('抱歉，我暂时还不明白这个问题。')
      .send('我想睇下我嘅戶口')
      .assertReply('唔好意思，我暫時仲未明你講乜。')
      .send('請問這張卡的額度')
      .assertReply('唔好意思，我暫時仲未明你講乜。')
      .send('請問台北分行的地址')
      .assertReply('抱歉，我暫時還不明白這個問題。')
      .startTest();
  });

  it('keeps the previous language for messages without language signal (digits, emoji)', async () => {
    const { adapter } = await createTestBot();
    await adapter
      .send('我想查一下余额')
      .assertReply((reply) => expect(reply.locale).to.equal('zh-CN'))
      .send('12345')
      .assertReply((reply) => expect(reply.locale).to.equal('zh-CN'))
      .send('👍')
      .assertReply((reply) => expect(reply.locale).to.equal('zh-CN'))
      .startTest();
  });

  it('answers Chinese that either script could have written in the variety the user, the channel or the deployment uses', async () => {
    const neutral = '你好'; // no character differs between Traditional and Simplified
    const localeOf = async (bot: Awaited<ReturnType<typeof createTestBot>>, activity: Record<string, unknown>): Promise<string | undefined> => {
      let locale: string | undefined;
      await bot.adapter.send({ type: 'message', text: neutral, ...activity } as never).assertReply((reply) => {
        locale = reply.locale;
      }).startTest();
      return locale;
    };
    expect(await localeOf(await createTestBot(), {}), 'no hint').to.equal('zh-CN');
    expect(await localeOf(await createTestBot(), { locale: 'zh-HK' }), 'Hong Kong channel locale').to.equal('zh-HK');
    expect(await localeOf(await createTestBot(), { locale: 'zh-Hant-TW' }), 'Taiwan channel locale').to.equal('zh-TW');
    expect(await localeOf(await createTestBot({ defaultLocale: 'zh-HK' }), {}), 'Hong Kong deployment').to.equal('zh-HK');
    expect(await localeOf(await createTestBot({ defaultLocale: 'zh-HK' }), { locale: 'en-US' }), 'English UI, Hong Kong deployment').to.equal('zh-HK');
    expect(await localeOf(await createTestBot({ defaultLocale: 'zh-HK' }), { locale: 'zh-CN' }), 'mainland channel, Hong Kong deployment').to.equal('zh-CN');
    // What the user wrote before wins over the hint, and script-specific text wins over both.
    const { adapter } = await createTestBot({ defaultLocale: 'zh-HK' });
    await adapter
      .send('請問台幣的匯率')
      .assertReply((reply) => expect(reply.locale).to.equal('zh-TW'))
      .send(neutral)
      .assertReply((reply) => expect(reply.locale).to.equal('zh-TW'))
      .send('我想查一下余额')
      .assertReply((reply) => expect(reply.locale).to.equal('zh-CN'))
      .startTest();
  });

  it('greets a user who joins the conversation', async () => {
    const { adapter } = await createTestBot();
    await adapter
      .send({ type: 'conversationUpdate', membersAdded: [{ id: 'user', name: 'User' }], locale: 'zh-HK' } as never)
      .assertReply((reply) => expect(reply.text).to.match(/^你好！我係 carebot/))
      .startTest();
  });

  it('never crashes on odd input', async () => {
    const { adapter, logs } = await createTestBot();
    const odd = ['', ' ', '\u0000\u0007', '🙂🙂🙂', 'ｆｕｌｌ－ｗｉｄｔｈ', 'a'.repeat(20_000), '\uD800', '<script>alert(1)</script>', '%s%d{{x}}'];
    let flow = adapter.send(odd[0]!);
    flow = flow.assertReply((reply) => expect(reply.type).to.equal('message'));
    for (const text of odd.slice(1)) {
      flow = flow.send(text).assertReply((reply) => expect(reply.text).to.be.a('string').and.not.match(/went wrong/));
      if (text.length > 2000) flow = flow.assertReply((reply) => expect(reply.text).to.match(/first 2,000 characters/));
    }
    await flow.startTest();
    expect(logs().filter((line) => line.level === 50)).to.deep.equal([]);
  });

  it('logs a failing turn and apologises in the user\'s language', async () => {
    class BrokenStorage extends MemoryStorage {
      override async write(_changes: StoreItems): Promise<void> {
        throw new StorageError('STORAGE_UNAVAILABLE', 'disk on fire');
      }
    }
    const { adapter, logs } = await createTestBot({ storage: new BrokenStorage() });
    await adapter
      .send('我想睇下我嘅戶口')
      .assertReply('唔好意思，我暫時仲未明你講乜。')
      .assertReply('唔好意思，系統出咗啲問題，請你等陣再試。')
      .startTest();
    const failure = logs().find((line) => line.msg === 'turn failed');
    expect(failure, 'turn failure logged').to.not.equal(undefined);
    expect(failure?.code).to.equal('STORAGE_UNAVAILABLE');
    expect(failure?.conversationId).to.be.a('string');
  });

  it('cuts an over-long message to MAX_INBOUND_TEXT_CHARS before any middleware reads it, answers, and says so in the reply language', async () => {
    const { adapter, bot, logs } = await createTestBot();
    const seen: number[] = [];
    bot.early.use({
      onTurn: async (context, next) => {
        seen.push(context.activity.text?.length ?? -1);
        await next();
      },
    });
    await adapter
      .send('我想查一下余额'.repeat(500))
      .assertReply('抱歉，我暂时还不明白这个问题。')
      .assertReply('您的消息太长了，我只读了前 2,000 个字。')
      .send('a short one')
      .assertReply("Sorry, I don't understand that yet.")
      .startTest();
    expect(seen).to.deep.equal([2000, 11]);
    const line = logs().find((entry) => entry.msg === 'inbound text truncated');
    expect(line).to.include({ level: 30, length: 3500, max: 2000 });
    expect(adapter.activeQueue, 'the short message got no notice').to.have.lengthOf(0);
  });

  it('applies the same cap to the console channel, never splitting a surrogate pair', async () => {
    const { bot } = await createTestBot();
    const seen: string[] = [];
    bot.early.use({
      onTurn: async (context, next) => {
        seen.push(context.activity.text ?? '');
        await next();
      },
    });
    const lines: string[] = [];
    const consoleAdapter = bot.attachTo(new ConsoleAdapter({ write: (line) => lines.push(line) }));
    await consoleAdapter.receiveText(`${'x'.repeat(1999)}🙂🙂`, (context) => bot.run(context));
    expect(seen[0]).to.have.lengthOf(1999);
    expect(lines.some((line) => line.includes('first 2,000 characters'))).to.equal(true);
  });

  it('never writes message text into the logs', async () => {
    const { adapter, logs } = await createTestBot();
    await adapter.send('my phone is 91234567').assertReply(() => undefined).startTest();
    expect(JSON.stringify(logs())).to.not.include('91234567');
  });

  it('answers each conversation\'s messages in arrival order, even in a burst', async () => {
    const { adapter, bot } = await createTestBot();
    const texts = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? `question ${i}` : `问题 ${i}`));
    await Promise.all(texts.map((text) => adapter.receiveActivity(text)));
    const replies = adapter.activeQueue.splice(0);
    expect(replies.map((reply) => reply.locale)).to.deep.equal(texts.map((_, i) => (i % 2 === 0 ? 'en' : 'zh-CN')));
    expect(replies.map((reply) => reply.replyToId)).to.have.lengthOf(20);
    expect(bot.activeConversations).to.equal(0);
  });
});

describe('CarebotBot proactive turns', () => {
  it('lets a failing proactive send fail for its caller instead of swallowing it', async () => {
    const { bot } = await createTestBot();
    const adapter = bot.attachTo(new ConsoleAdapter({ write: () => undefined }));
    const reference = { channelId: 'console', conversation: { id: 'c1', isGroup: false, name: '' }, user: { id: 'u1', name: 'u' }, bot: { id: 'b', name: 'b' }, serviceUrl: 'x' } as never;
    let failure: unknown;
    try {
      await adapter.continueConversation(reference, async () => {
        throw new Error('channel is down');
      });
    } catch (error) {
      failure = error;
    }
    expect((failure as Error | undefined)?.message).to.equal('channel is down');
  });
});
