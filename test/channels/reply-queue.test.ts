import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { MemoryDedupeStore } from '../../adapters/shared/dedupe-store.js';
import { createReplyQueue } from '../../adapters/shared/reply-queue.js';
import { replyQueueName } from '../../src/state/redis-keys.js';
import { WhatsappChannel } from '../../adapters/whatsapp/whatsapp-channel.js';
import { loadConfig } from '../../src/config.js';
import type { BullmqOutboundDelivery } from '../../src/channels/outbound/bullmq-outbound-delivery.js';
import type { I18n } from '../../src/i18n/create-i18n.js';
import { memoryLogger } from '../support/silent-logger.js';
import { connectTestRedis, deleteKeys, prefixName, scanKeys, testRedisUrl, uniquePrefix } from '../support/test-redis.js';
import { FakeWhatsappClient, whatsappFixture } from './fake-whatsapp-client.js';
import { choicesLogic, eventually, realBot, testDelivery, testI18n } from './support.js';

const UK = '447700900123@c.us';

describe('chat-app replies through the reply queue (BullMQ on Redis)', function () {
  this.timeout(30_000);
  const prefix = uniquePrefix();
  let redis: Redis;
  let i18n: I18n;
  const running: { channel: WhatsappChannel; replies: BullmqOutboundDelivery }[] = [];

  before(async () => {
    redis = connectTestRedis();
    i18n = await testI18n();
  });
  afterEach(async () => {
    for (const { channel, replies } of running.splice(0)) {
      await channel?.stop();
      await replies?.close();
    }
  });
  after(async () => {
    await deleteKeys(redis, prefix);
    await redis?.quit();
  });

  /** `consume: false` queues replies with no worker running, as a process that crashed right after its turns. */
  async function start(client: FakeWhatsappClient, consume = true): Promise<{ channel: WhatsappChannel; replies: BullmqOutboundDelivery }> {
    const { logger } = memoryLogger('silent');
    const config = loadConfig({ REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefixName(prefix) });
    const delivery = testDelivery();
    const bot = await realBot(i18n, logger);
    const replies: BullmqOutboundDelivery = createReplyQueue({ config, logger, redis }, 'whatsapp', delivery, (message): Promise<void> => channel.adapter.deliverQueued(message))!;
    const channel: WhatsappChannel = new WhatsappChannel({
      client,
      logic: (context) => choicesLogic(context).then(() => bot.conversationState.saveChanges(context)),
      attach: (adapter) => bot.attachTo(adapter),
      i18n,
      logger,
      delivery,
      dedupe: new MemoryDedupeStore(60_000),
      replyQueue: replies,
    });
    await channel.start();
    client.pair();
    if (consume) await replies.start();
    running.push({ channel, replies });
    return { channel, replies };
  }

  it('sends a burst of replies through the queue, in order', async () => {
    const client = new FakeWhatsappClient();
    await start(client);
    for (let i = 1; i <= 10; i += 1) client.receive(whatsappFixture('dm-text-hk'), { body: `message ${i}`, from: UK });
    await eventually(() => client.sent.length >= 10, '10 replies');
    expect(client.sent.map((sent) => sent.content)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `echo: message ${i + 1}`));
    // Delivered jobs are removed (their text is personal data); BullMQ's event stream still tells they completed.
    const events = await redis.xrange(`${prefix}:bull:${replyQueueName('whatsapp')}:events`, '-', '+');
    expect(events.filter(([, fields]) => fields[0] === 'event' && fields[1] === 'completed').length, 'replies went through the queue').to.equal(10);
  });

  it('delivers a reply queued before a crash once the channel is back', async () => {
    const client = new FakeWhatsappClient();
    const { channel, replies } = await start(client, false);
    client.receive(whatsappFixture('dm-text-hk'), { body: 'are you there?', from: UK, id: '3EB0CRASH1' });
    await channel.adapter.idle();
    expect(client.sent).to.deep.equal([]);
    // The waiting job holds the chat id it must send to, and nothing else of the person: its id
    // (the inbound message id, which holds the phone number) names keys and stream entries as a digest.
    const phone = UK.replace(/@.*/, '');
    const keys = await scanKeys(redis, prefix);
    expect(keys.filter((key) => key.includes(`:bull:${replyQueueName('whatsapp')}:`)), 'a job is waiting').to.not.deep.equal([]);
    expect(keys.filter((key) => key.includes(phone) || key.includes('3EB0CRASH1'))).to.deep.equal([]);
    const events = await redis.xrange(`${prefix}:bull:${replyQueueName('whatsapp')}:events`, '-', '+');
    expect(events.flatMap(([, fields]) => fields).filter((field) => field.includes(phone) || field.includes('3EB0CRASH1'))).to.deep.equal([]);
    running.splice(0);
    await channel.stop();
    await replies.close();

    const restartedClient = new FakeWhatsappClient();
    await start(restartedClient);
    await eventually(() => restartedClient.sent.length >= 1, 'the queued reply');
    expect(restartedClient.sent.map((sent) => [sent.chatId, sent.content])).to.deep.equal([[UK, 'echo: are you there?']]);
  });
});
