import { expect } from 'chai';
import { TurnContext, type ConversationReference } from 'botbuilder';
import { MemoryDedupeStore, RedisDedupeStore, dedupeDigest } from '../../adapters/shared/dedupe-store.js';
import { WhatsappChannel } from '../../adapters/whatsapp/whatsapp-channel.js';
import type { CarebotBot } from '../../src/bot/carebot-bot.js';
import { getChannelIdentity } from '../../src/channels/channel-identity.js';
import { ChannelRegistry } from '../../src/channels/channel-registry.js';
import type { I18n } from '../../src/i18n/create-i18n.js';
import { memoryLogger } from '../support/silent-logger.js';
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/test-redis.js';
import { FakeWhatsappClient, whatsappFixture } from './fake-whatsapp-client.js';
import { choicesLogic, eventually, LONG_ANSWER, realBot, testDelivery, testI18n } from './support.js';

type TurnLogic = (context: TurnContext) => Promise<void>;

interface Harness {
  client: FakeWhatsappClient;
  channel: WhatsappChannel;
  bot: CarebotBot;
  logs: () => Record<string, unknown>[];
}

const HK = '85291234567@c.us';
const CN = '8613812345678@c.us';
const UK = '447700900123@c.us';

describe('WhatsApp channel (fake whatsapp-web.js client)', function () {
  this.timeout(20_000);
  let i18n: I18n;
  let harness: Harness | undefined;
  const dm = whatsappFixture('dm-text-hk');

  before(async () => {
    i18n = await testI18n();
  });

  afterEach(async () => {
    await harness?.channel.stop();
    harness = undefined;
  });

  async function start(options: { logic?: (bot: CarebotBot) => TurnLogic; delivery?: Parameters<typeof testDelivery>[0]; dedupe?: MemoryDedupeStore | RedisDedupeStore } = {}): Promise<Harness> {
    const { logger, lines } = memoryLogger('debug');
    const client = new FakeWhatsappClient();
    const bot = await realBot(i18n, logger);
    const channel = new WhatsappChannel({
      client,
      logic: options.logic ? options.logic(bot) : (context) => bot.run(context),
      attach: (adapter) => bot.attachTo(adapter),
      i18n,
      logger,
      delivery: testDelivery(options.delivery),
      dedupe: options.dedupe ?? new MemoryDedupeStore(60_000),
    });
    await channel.start();
    await eventually(() => channel.status().qrCode !== undefined, 'the pairing QR code');
    expect(channel.status()).to.include({ state: 'connecting' });
    client.pair();
    harness = { client, channel, bot, logs: lines };
    return harness;
  }

  /** Sends a DM from `from` and returns the texts sent back to that chat. */
  async function say(h: Harness, text: string, options: { from?: string; replies?: number } = {}): Promise<string[]> {
    const from = options.from ?? HK;
    const before = h.client.sent.length;
    h.client.receive(dm, { body: text, from });
    await eventually(() => h.client.sent.length >= before + (options.replies ?? 1), `a reply to "${text}"`);
    await h.channel.adapter.idle();
    return h.client.sent.slice(before).filter((m) => m.chatId === from).map((m) => m.content);
  }

  it('shows pairing, then connected with the number, in its status', async () => {
    const h = await start();
    expect(h.channel.status()).to.include({ state: 'connected', loggedInAs: 'Carebot HK +85260001111', sendFailures: 0 });
    expect(h.channel.status().qrCode).to.equal(undefined);
    h.client.emit('disconnected', 'LOGOUT');
    expect(h.channel.status()).to.include({ state: 'logged-out' });
    h.client.emit('auth_failure', 'session invalid');
    expect(h.channel.status().state).to.equal('down');
  });

  it('answers DMs in Cantonese, Mandarin and English; the phone country sets the default language', async () => {
    const h = await start();
    expect(await say(h, '唔該，我想問嘢')).to.deep.equal([i18n.t('notUnderstoodYet', { lng: 'zh-HK' })]);
    expect(await say(h, '你好', { from: CN })).to.deep.equal([i18n.t('greeting', { lng: 'zh-CN' })]);
    expect(await say(h, 'hello', { from: UK })).to.deep.equal([i18n.t('greeting', { lng: 'en' })]);
    // No language signal in the message: the +852 number's default (Cantonese) answers, and +44 gets English.
    expect(await say(h, '👍', { from: '85298765432@c.us' })).to.deep.equal([i18n.t('notUnderstoodYet', { lng: 'zh-HK' })]);
    expect(await say(h, '👍', { from: '447911123456@c.us' })).to.deep.equal([i18n.t('notUnderstoodYet', { lng: 'en' })]);
    // The message's own language overrides the country default.
    expect(await say(h, 'what is my balance?', { from: '85255554444@c.us' })).to.deep.equal([i18n.t('notUnderstoodYet', { lng: 'en' })]);
  });

  it('in a group answers only when mentioned, strips the mention and mentions the sender back', async () => {
    const seen: string[] = [];
    const h = await start({ logic: () => async (context) => {
      seen.push(context.activity.text ?? '');
      await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
    } });
    h.client.receive(whatsappFixture('group-no-mention'));
    h.client.receive(whatsappFixture('group-mention'));
    await eventually(() => h.client.sent.length >= 1, 'the group reply');
    await h.channel.adapter.idle();
    expect(seen).to.deep.equal(['what time do you open on Saturday?']);
    expect(h.client.sent).to.deep.equal([
      { chatId: '120363041234567890@g.us', content: '@447700900123 echo: what time do you open on Saturday?', options: { mentions: [UK] } },
    ]);
  });

  it('renders choices as a numbered list with *bold*, and recognises the answer by number and by text', async () => {
    const h = await start({ logic: () => choicesLogic });
    const [menu] = await say(h, 'menu', { from: UK });
    expect(menu).to.equal('What would you like to do? *Pick one*\n\n1. Check balance\n2. Transfer money\n3. Report a lost card\n\nReply 1, 2 or 3');
    expect(await say(h, '3', { from: UK })).to.deep.equal(['echo: lost-card']);
    await say(h, 'menu', { from: UK });
    expect(await say(h, 'Transfer money', { from: UK })).to.deep.equal(['echo: transfer']);
  });

  it('splits a long answer at sentence ends under the length limit', async () => {
    const h = await start({ logic: () => choicesLogic, delivery: { maxTextLength: 100 } });
    const replies = await say(h, 'long', { from: UK, replies: 4 });
    for (const reply of replies) {
      expect([...reply].length).to.be.at.most(100);
      expect(reply).to.match(/[.。]$/u);
    }
    expect(replies.join('').replace(/\s+/gu, '')).to.equal(LONG_ANSWER.replace(/\s+/gu, ''));
  });

  it('answers voice and image messages with "text only" in the default language, and ignores notifications', async () => {
    const h = await start();
    h.client.receive(whatsappFixture('e2e-notification'));
    h.client.receive(whatsappFixture('dm-ptt'));
    h.client.receive(whatsappFixture('dm-image'));
    await eventually(() => h.client.sent.length >= 2, 'two media answers');
    await h.channel.adapter.idle();
    expect(h.client.sent.map((m) => [m.chatId, m.content])).to.deep.equal([
      [CN, i18n.t('mediaNotSupported', { lng: 'zh-CN' })],
      [UK, i18n.t('mediaNotSupported', { lng: 'en' })],
    ]);
  });

  it('answers a redelivered message once (dedupe in Redis)', async () => {
    const redis = connectTestRedis();
    const prefix = uniquePrefix();
    try {
      const h = await start({ dedupe: new RedisDedupeStore(redis, prefix, 60_000) });
      const before = h.client.sent.length;
      const message = h.client.receive(dm, { body: 'hello', from: UK });
      h.client.redeliver(message);
      h.client.redeliver(message);
      await say(h, 'and something else', { from: UK });
      expect(h.client.sent.slice(before).map((m) => m.content)).to.deep.equal([
        i18n.t('greeting', { lng: 'en' }),
        i18n.t('notUnderstoodYet', { lng: 'en' }),
      ]);
      // The message id holds the phone number: Redis keeps its digest.
      expect(await redis.exists(`${prefix}:dedupe:${dedupeDigest(`whatsapp:${message.id._serialized}`)}`)).to.equal(1);
      expect(await redis.exists(`${prefix}:dedupe:whatsapp:${message.id._serialized}`)).to.equal(0);
    } finally {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
  });

  it('answers a burst of 20 messages in order', async () => {
    const h = await start({ logic: () => choicesLogic });
    for (let i = 1; i <= 20; i += 1) h.client.receive(dm, { body: `message ${i}`, from: UK });
    await eventually(() => h.client.sent.length >= 20, '20 replies');
    await h.channel.adapter.idle();
    expect(h.client.sent.map((m) => m.content)).to.deep.equal(Array.from({ length: 20 }, (_, i) => `echo: message ${i + 1}`));
  });

  it('delivers an agent reply from a stored conversation reference after a restart', async () => {
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
    await say(h, 'I need a person', { from: UK });
    expect(identity).to.deep.include({ channelUserId: UK, phone: '+447700900123' });

    const { logger } = memoryLogger();
    const client = new FakeWhatsappClient();
    const restarted = new WhatsappChannel({
      client,
      logic: async () => undefined,
      attach: (adapter) => h.bot.attachTo(adapter),
      i18n,
      logger,
      delivery: testDelivery(),
      dedupe: new MemoryDedupeStore(60_000),
    });
    client.pair();
    const registry = new ChannelRegistry();
    registry.register(restarted);
    await registry.continueConversation(reference!, async (context) => {
      await context.sendActivity('Agent Mei: I can help with that.');
    });
    expect(client.sent).to.deep.equal([{ chatId: UK, content: 'Agent Mei: I can help with that.', options: undefined }]);
  });

  it('retries a failed send, and reports one that never goes through', async () => {
    const h = await start({ logic: () => choicesLogic, delivery: { sendAttempts: 3 } });
    h.client.failSends = 2;
    expect(await say(h, 'first', { from: UK })).to.deep.equal(['echo: first']);
    expect(h.channel.status().sendFailures).to.equal(0);

    h.client.failSends = 1000;
    h.client.receive(dm, { body: 'second', from: UK });
    await eventually(() => h.channel.status().sendFailures >= 1, 'the failure to be recorded');
    await h.channel.adapter.idle();
    const failed = h.logs().filter((line) => line.code === 'ADAPTER_SEND_FAILED');
    expect(failed[0]).to.include({ attempts: 3, level: 50, channelId: 'whatsapp' });
    expect(h.client.sent.map((m) => m.content)).to.deep.equal(['echo: first']);
  });

  it('logs no phone number: turns, redeliveries, failed sends and unreadable messages name the chat by a pseudonym', async () => {
    const h = await start({ logic: () => choicesLogic, delivery: { sendAttempts: 2 } });
    const message = h.client.receive(dm, { body: 'first', from: UK });
    await eventually(() => h.client.sent.length >= 1, 'the reply');
    h.client.redeliver(message);
    h.client.failSends = 1000;
    h.client.receive(dm, { body: 'second', from: UK });
    await eventually(() => h.channel.status().sendFailures >= 1, 'the failure to be recorded');
    h.client.emit('message', { ...message, id: { ...message.id, id: 'BROKEN', _serialized: `false_${UK}_BROKEN` }, getChat: () => Promise.reject(new Error('chat gone')) });
    await eventually(() => h.logs().some((line) => line.msg === 'WhatsApp message could not be handled'), 'the unreadable message to be logged');
    await h.channel.adapter.idle();
    const lines = h.logs();
    const logged = JSON.stringify(lines);
    expect(logged, logged.slice(Math.max(0, logged.indexOf('447700900123') - 300), logged.indexOf('447700900123') + 100)).not.to.include('447700900123');
    const pseudonyms = new Set(
      lines.filter((line) => line.msg === 'redelivered message ignored' || line.code === 'ADAPTER_SEND_FAILED' || line.msg === 'WhatsApp message could not be handled').map((line) => line.conversationId),
    );
    expect([...pseudonyms]).to.have.lengthOf(1);
    expect([...pseudonyms][0]).to.match(/^whatsapp:[0-9a-f]{12}$/);
    // The turn lines too: one customer's lines share one pseudonym.
    expect(new Set(lines.map((line) => line.conversationId).filter((id) => id !== undefined))).to.deep.equal(pseudonyms);
  });

  it('keeps to the per-chat and overall rate limits', async () => {
    const slept: number[] = [];
    let now = 0;
    const clock = { now: () => now, sleep: async (ms: number) => { slept.push(ms); now += ms; } };
    const { logger } = memoryLogger();
    const client = new FakeWhatsappClient();
    const bot = await realBot(i18n, logger);
    const channel = new WhatsappChannel({
      client, logic: choicesLogic, attach: (adapter) => bot.attachTo(adapter), i18n, logger, clock,
      delivery: testDelivery({ perChatPerSecond: 1, overallPerSecond: 4 }), dedupe: new MemoryDedupeStore(60_000),
    });
    client.pair();
    for (let i = 0; i < 3; i += 1) client.receive(dm, { body: `m${i}`, from: UK });
    await eventually(() => client.sent.length >= 3, 'three replies');
    await channel.adapter.idle();
    // One chat: a second between messages (the first goes at once).
    expect(slept).to.deep.equal([1000, 1000]);
  });
});
