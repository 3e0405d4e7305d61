import type { EventEmitter } from 'node:events';
import { expect } from 'chai';
import { TurnContext, type ConversationReference } from 'botbuilder';
import { WechatyBuilder, type Wechaty } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { WechatChannel } from '../../adapters/wechat/wechat-channel.js';
import { MemoryDedupeStore, RedisDedupeStore } from '../../adapters/shared/dedupe-store.js';
import { getChannelIdentity } from '../../src/channels/channel-identity.js';
import { ChannelRegistry } from '../../src/channels/channel-registry.js';
import type { CarebotBot } from '../../src/bot/carebot-bot.js';
import type { I18n } from '../../src/i18n/create-i18n.js';
import { memoryLogger } from '../support/silent-logger.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/test-redis.js';
import { choicesLogic, eventually, LONG_ANSWER, realBot, testDelivery, testI18n } from './support.js';

type TurnLogic = (context: TurnContext) => Promise<void>;

/** The mock's contacts and rooms are EventEmitters (their typed-emitter typings are not installed). */
function onMessage(target: mock.ContactMock | mock.RoomMock, listener: (message: mock.MessageMock) => void): void {
  (target as unknown as EventEmitter).on('message', listener);
}

interface Harness {
  mocker: mock.Mocker;
  puppet: PuppetMock;
  wechaty: Wechaty;
  channel: WechatChannel;
  bot: CarebotBot;
  self: mock.ContactMock;
  customer: mock.ContactMock;
  /** Texts the bot sent to the customer's DM, in order. */
  dm: string[];
  logs: () => Record<string, unknown>[];
}

describe('WeChat channel (wechaty-puppet-mock)', function () {
  this.timeout(20_000);
  let i18n: I18n;
  let harness: Harness | undefined;

  before(async () => {
    i18n = await testI18n();
  });

  afterEach(async () => {
    await harness?.channel.stop();
    harness = undefined;
  });

  async function start(options: { logic?: (bot: CarebotBot) => TurnLogic; delivery?: Parameters<typeof testDelivery>[0]; dedupe?: MemoryDedupeStore | RedisDedupeStore } = {}): Promise<Harness> {
    const { logger, lines } = memoryLogger('debug');
    const mocker = new mock.Mocker();
    const puppet = new PuppetMock({ mocker });
    const wechaty = WechatyBuilder.build({ puppet });
    const bot = await realBot(i18n, logger);
    const logic = options.logic ? options.logic(bot) : (context: TurnContext) => bot.run(context);
    const channel = new WechatChannel({
      wechaty,
      logic,
      attach: (adapter) => bot.attachTo(adapter),
      i18n,
      logger,
      delivery: testDelivery(options.delivery),
      dedupe: options.dedupe ?? new MemoryDedupeStore(60_000),
    });
    await channel.start();
    const self = mocker.createContact({ name: 'carebot' });
    mocker.login(self);
    await eventually(() => channel.status().state === 'connected', 'the mock login');
    const customer = mocker.createContact({ name: 'Ada Wong' });
    const dm: string[] = [];
    onMessage(customer, (message) => {
      if (message.talker().id === self.id) dm.push(message.text() ?? '');
    });
    harness = { mocker, puppet, wechaty, channel, bot, self, customer, dm, logs: lines };
    return harness;
  }

  async function say(h: Harness, text: string, expectReplies = 1): Promise<string[]> {
    const before = h.dm.length;
    h.customer.say(text).to(h.self);
    await eventually(() => h.dm.length >= before + expectReplies, `${expectReplies} repl(ies) to "${text}"`);
    await h.channel.adapter.idle();
    return h.dm.slice(before);
  }

  it('answers a direct message in Cantonese, Mandarin and English, each in its own language', async () => {
    const h = await start();
    expect(await say(h, '你好')).to.deep.equal([i18n.t('greeting', { lng: 'zh-CN' })]);
    expect(await say(h, '唔該，我想問嘢')).to.deep.equal([i18n.t('notUnderstoodYet', { lng: 'zh-HK' })]);
    expect(await say(h, 'What is my balance?')).to.deep.equal([i18n.t('notUnderstoodYet', { lng: 'en' })]);
    expect(h.channel.status()).to.include({ state: 'connected', loggedInAs: 'carebot', sendFailures: 0 });
    expect(h.channel.status().lastMessageAt).to.be.a('string');
  });

  it('in a room answers only when mentioned, without the mention, and mentions the sender back', async () => {
    const seen: string[] = [];
    const h = await start({ logic: () => async (context) => {
      seen.push(context.activity.text ?? '');
      await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
    } });
    const other = h.mocker.createContact({ name: 'Bob' });
    const room = h.mocker.createRoom({ topic: 'Wong family', memberIdList: [h.self.id, h.customer.id, other.id] });
    const inRoom: { talker: string; text: string }[] = [];
    onMessage(room, (message) => inRoom.push({ talker: message.talker().id, text: message.text() ?? '' }));

    h.customer.say('anyone home?').to(room);
    h.customer.say('@carebot\u2005what are your opening hours?', [h.self]).to(room);
    await eventually(() => inRoom.some((m) => m.talker === h.self.id), 'the bot to answer in the room');
    await h.channel.adapter.idle();

    expect(seen).to.deep.equal(['what are your opening hours?']);
    const replies = inRoom.filter((m) => m.talker === h.self.id).map((m) => m.text);
    expect(replies).to.have.length(1);
    expect(replies[0]).to.match(/^@Ada Wong\s/u).and.include('echo: what are your opening hours?');
  });

  it('renders choices as a numbered list and recognises the answer by number and by text', async () => {
    const h = await start({ logic: () => choicesLogic });
    const [menu] = await say(h, 'menu');
    expect(menu).to.equal(
      'What would you like to do? Pick one\n\n1. Check balance\n2. Transfer money\n3. Report a lost card\n\nReply 1, 2 or 3',
    );
    expect(await say(h, '2')).to.deep.equal(['echo: transfer']);
    await say(h, 'menu');
    expect(await say(h, 'report a lost card')).to.deep.equal(['echo: lost-card']);
    await say(h, 'menu');
    expect(await say(h, 'balance')).to.deep.equal(['echo: balance']);
    expect(await say(h, '2'), 'no choices pending any more').to.deep.equal(['echo: 2']);
  });

  it('numbers choices in the reply language ("回复 1、2 或 3")', async () => {
    const h = await start({ logic: (bot) => async (context) => {
      void bot;
      await context.sendActivity({ text: '请选择：', locale: 'zh-CN', suggestedActions: { to: [], actions: ['查余额', '转账', '挂失'].map((t) => ({ type: 'imBack', title: t, value: t })) } });
    } });
    const [menu] = await say(h, '你好');
    expect(menu).to.match(/回复 1、2 或 3$/u);
  });

  it('splits a long answer at sentence ends under the length limit', async () => {
    const h = await start({ logic: () => choicesLogic, delivery: { maxTextLength: 120 } });
    const replies = await say(h, 'long', 3);
    expect(replies.length).to.be.greaterThan(1);
    for (const reply of replies) {
      expect([...reply].length).to.be.at.most(120);
      expect(reply).to.match(/[.。]$/u);
    }
    expect(replies.join(' ').replace(/\s+/gu, '')).to.equal(LONG_ANSWER.replace(/\s+/gu, ''));
  });

  it('answers an image, a voice message and a red packet with "text only", in the user\'s language', async () => {
    const h = await start();
    await say(h, '唔該');
    const { FileBox } = await import('file-box');
    const before = h.dm.length;
    h.customer.say(FileBox.fromBase64('aGVsbG8=', 'photo.jpg')).to(h.self);
    await eventually(() => h.dm.length > before, 'the media answer');
    await h.channel.adapter.idle();
    expect(h.dm.at(-1)).to.equal(i18n.t('mediaNotSupported', { lng: 'zh-HK' }));

    // Voice and red packets arrive as payloads without text; the mock emits them like the real puppet does.
    for (const type of [2 /* Audio */, 12 /* RedEnvelope */, 5 /* Emoticon */]) {
      const count = h.dm.length;
      const message = h.mocker.MessageMock.create({ id: `media-${type}`, talkerId: h.customer.id, listenerId: h.self.id, timestamp: Date.now(), type });
      h.puppet.emit('message', { messageId: message.id });
      await eventually(() => h.dm.length > count, `the answer to media type ${type}`);
    }
    await h.channel.adapter.idle();
    expect(h.dm.slice(-3)).to.deep.equal(Array(3).fill(i18n.t('mediaNotSupported', { lng: 'zh-HK' })));
  });

  it('ignores system notices and recalled messages', async () => {
    const h = await start();
    for (const [id, type] of [['sys-1', 0], ['recall-1', 13]] as const) {
      const message = h.mocker.MessageMock.create({ id, talkerId: h.customer.id, listenerId: h.self.id, timestamp: Date.now(), type, text: 'x' });
      h.puppet.emit('message', { messageId: message.id });
    }
    expect(await say(h, 'hello')).to.deep.equal([i18n.t('greeting', { lng: 'en' })]);
    expect(h.dm).to.have.length(1);
  });

  it('answers a redelivered message once', async () => {
    const redis = connectTestRedis();
    const prefix = uniquePrefix();
    try {
      const h = await start({ dedupe: new RedisDedupeStore(redis, prefix, 60_000) });
      await say(h, 'hello');
      const [first] = [...h.mocker.cacheMessagePayload.values()].filter((p) => p.talkerId === h.customer.id);
      h.puppet.emit('message', { messageId: first!.id });
      h.puppet.emit('message', { messageId: first!.id });
      await say(h, 'and now something else');
      expect(h.dm).to.deep.equal([i18n.t('greeting', { lng: 'en' }), i18n.t('notUnderstoodYet', { lng: 'en' })]);
      expect(h.logs().filter((line) => line.msg === 'redelivered message ignored')).to.have.length(2);
    } finally {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
  });

  it('answers a burst of 20 messages in order', async () => {
    const h = await start({ logic: () => choicesLogic });
    for (let i = 1; i <= 20; i += 1) h.customer.say(`message ${i}`).to(h.self);
    await eventually(() => h.dm.length >= 20, '20 replies');
    await h.channel.adapter.idle();
    expect(h.dm).to.deep.equal(Array.from({ length: 20 }, (_, i) => `echo: message ${i + 1}`));
  });

  it('delivers an agent reply to the chat from a stored conversation reference, after a restart', async () => {
    const h = await start();
    let reference: Partial<ConversationReference> | undefined;
    h.channel.adapter.use({
      onTurn: async (context, next) => {
        reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(context.activity))) as Partial<ConversationReference>;
        await next();
      },
    });
    let identity: ReturnType<typeof getChannelIdentity>;
    h.channel.adapter.use({ onTurn: async (context, next) => { identity = getChannelIdentity(context); await next(); } });
    await say(h, 'I want to talk to a person');
    expect(reference?.channelId).to.equal('wechat');
    expect(identity).to.deep.include({ channelUserId: h.customer.id, displayName: 'Ada Wong' });

    // A new channel and registry stand for the restarted process; only the stored reference survives.
    const { logger } = memoryLogger();
    const restarted = new WechatChannel({
      wechaty: h.wechaty,
      logic: async () => undefined,
      attach: (adapter) => h.bot.attachTo(adapter),
      i18n,
      logger,
      delivery: testDelivery(),
      dedupe: new MemoryDedupeStore(60_000),
    });
    const registry = new ChannelRegistry();
    registry.register(restarted);
    const before = h.dm.length;
    await registry.continueConversation(reference!, async (context) => {
      await context.sendActivity('Agent Mei: Hi Ada, I can help with that.');
    });
    await eventually(() => h.dm.length > before, 'the agent reply');
    expect(h.dm.at(-1)).to.equal('Agent Mei: Hi Ada, I can help with that.');
  });

  it('retries a failed send, and reports one that never goes through', async () => {
    const h = await start({ logic: () => choicesLogic, delivery: { sendAttempts: 3 } });
    const original = h.puppet.messageSendText.bind(h.puppet);
    let failuresLeft = 2;
    h.puppet.messageSendText = async (...args: Parameters<typeof original>) => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('puppet: network hiccup');
      }
      return original(...args);
    };
    expect(await say(h, 'first')).to.deep.equal(['echo: first']);
    expect(h.channel.status().sendFailures).to.equal(0);

    failuresLeft = 1000;
    h.customer.say('second').to(h.self);
    await eventually(() => h.channel.status().sendFailures >= 1, 'the failure to be recorded');
    await h.channel.adapter.idle();
    const failed = h.logs().filter((line) => line.code === 'ADAPTER_SEND_FAILED');
    expect(failed.length).to.be.greaterThan(0);
    expect(failed[0]).to.include({ attempts: 3, level: 50 });
    expect(h.logs().filter((line) => line.msg === 'send failed; retrying').length).to.be.greaterThan(1);
    expect(h.dm).to.deep.equal(['echo: first']);
  });
});
