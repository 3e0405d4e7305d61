import { expect } from 'chai';
import { ActivityTypes, type ConversationReference } from 'botbuilder';
import { GraphClient } from '../../adapters/whatsapp-cloud/graph-client.js';
import { MemorySentMessageStore } from '../../adapters/whatsapp-cloud/sent-message-store.js';
import { cloudMessageToActivity } from '../../adapters/whatsapp-cloud/to-activity.js';
import { WhatsappCloudChannel } from '../../adapters/whatsapp-cloud/whatsapp-cloud-channel.js';
import { MemoryServiceWindowStore, SERVICE_WINDOW_MS } from '../../adapters/whatsapp-cloud/window-store.js';
import { MemoryDedupeStore } from '../../adapters/shared/dedupe-store.js';
import { hasErrorCode } from '../../src/errors.js';
import { memoryLogger } from '../support/silent-logger.js';
import { testDelivery, testI18n } from '../channels/support.js';
import { startFakeGraphApi, type FakeGraphApi } from './fake-graph-api.js';

const WA_ID = '85291234567';
const REFERENCE: Partial<ConversationReference> = {
  channelId: 'whatsapp-cloud',
  serviceUrl: 'whatsapp-cloud://',
  conversation: { id: WA_ID, isGroup: false, conversationType: 'personal', name: '' },
  user: { id: WA_ID, name: 'Chan' },
  bot: { id: '106540352242922', name: 'carebot' },
  locale: 'zh-HK',
};

describe('WhatsApp Cloud API: the 24-hour customer-service window', () => {
  let graph: FakeGraphApi | undefined;
  let log = memoryLogger('info');
  afterEach(async () => graph?.close());

  async function channelWith(templateName: string | undefined, now: () => number) {
    graph = await startFakeGraphApi();
    log = memoryLogger('info');
    const window = new MemoryServiceWindowStore(now);
    const channel = new WhatsappCloudChannel({
      logic: async () => {},
      attach: () => {},
      i18n: await testI18n(),
      logger: log.logger,
      delivery: testDelivery({ maxTextLength: 4096 }),
      dedupe: new MemoryDedupeStore(60_000),
      client: new GraphClient({ apiBaseUrl: graph.url, accessToken: 'token', phoneNumberId: '106540352242922' }),
      window,
      sent: new MemorySentMessageStore(),
      receipts: undefined,
      templateName,
      templateLanguages: { en: 'en_US', 'zh-CN': 'zh_CN', 'zh-TW': 'zh_TW', 'zh-HK': 'zh_HK' },
    });
    return { channel, window };
  }

  const proactive = (channel: WhatsappCloudChannel, text: string) =>
    channel.adapter.continueConversation(REFERENCE, async (context) => {
      expect(context.activity.type).to.equal(ActivityTypes.Event);
      await context.sendActivity({ type: 'message', text, locale: 'zh-HK' });
    });

  it('sends a proactive message as text inside the window, as the template in the customer\'s language after it', async () => {
    let now = 1_000_000;
    const { channel, window } = await channelWith('agent_reply', () => now);
    await window.touch(WA_ID, now);
    await proactive(channel, '你張新卡已經寄出。');
    expect(graph!.calls.at(-1)!.body).to.deep.include({ type: 'text', text: { body: '你張新卡已經寄出。', preview_url: false } });
    now += SERVICE_WINDOW_MS;
    await proactive(channel, '你張新卡已經寄出。');
    expect(graph!.calls.at(-1)!.body.type).to.equal('template');
    expect(graph!.calls.at(-1)!.body.template).to.deep.include({ name: 'agent_reply', language: { code: 'zh_HK' } });
  });

  it('fails a proactive message outside the window as not deliverable when no template is configured, sending nothing', async () => {
    const { channel } = await channelWith(undefined, () => 1_000_000);
    let failure: unknown;
    await proactive(channel, '你張新卡已經寄出。').catch((error: unknown) => {
      failure = error;
    });
    expect(hasErrorCode(failure, 'ADAPTER_SEND_FAILED'), String(failure)).to.equal(true);
    expect((failure as Error).message).to.include('not deliverable').and.include('WHATSAPP_CLOUD_TEMPLATE_NAME');
    expect(graph!.calls).to.deep.equal([]);
  });

  it("opens the window from the message's own timestamp: an old message delivered late does not open it", async () => {
    const now = Date.now();
    const { channel, window } = await channelWith(undefined, () => now);
    const written = (secondsAgo: number, id: string) =>
      cloudMessageToActivity(
        { id, from: WA_ID, timestamp: String(Math.floor(now / 1000) - secondsAgo), type: 'text', text: { body: '你好' } },
        { messaging_product: 'whatsapp', metadata: { phone_number_id: '106540352242922', display_phone_number: '85230001111' } },
      )!;
    await channel.receive(written(25 * 60 * 60, 'wamid.old'));
    expect(await window.isOpen(WA_ID), 'written 25 hours ago').to.equal(false);
    await channel.receive(written(10, 'wamid.new'));
    expect(await window.isOpen(WA_ID), 'written 10 s ago').to.equal(true);
  });

  it('sets aside a signed message older than the dedupe window (a replay): not answered, logged', async () => {
    const now = Date.now();
    const { channel } = await channelWith(undefined, () => now);
    // testDelivery() remembers message ids for 60 s.
    const replayed = cloudMessageToActivity(
      { id: 'wamid.replayed', from: WA_ID, timestamp: String(Math.floor(now / 1000) - 120), type: 'text', text: { body: 'hello' } },
      { messaging_product: 'whatsapp', metadata: { phone_number_id: '106540352242922', display_phone_number: '85230001111' } },
    )!;
    await channel.receive(replayed);
    expect(channel.status().lastMessageAt, 'no turn ran').to.equal(undefined);
    expect(log.lines().some((line) => line.msg?.toString().startsWith('message older than the dedupe window'))).to.equal(true);
  });

  it('does not retry what the platform refuses for good (131047), and retries its rate limits (130429)', async () => {
    const { channel, window } = await channelWith(undefined, () => 1_000_000);
    await window.touch(WA_ID, 1_000_000);
    graph!.failNext(400, 131047, 'Re-engagement message');
    const failed = await proactive(channel, 'one').then(() => undefined, (error: unknown) => error as Error);
    expect(failed?.message).to.include('131047');
    expect(graph!.calls).to.deep.equal([]);
    expect(channel.status().sendFailures).to.equal(1);
    // The failure is logged with the chat masked: a wa_id is a phone number.
    const failureLine = log.lines().find((line) => line.msg === 'message not delivered after retries');
    expect(failureLine?.conversationId).to.match(/^whatsapp-cloud:[0-9a-f]{12}$/);
    expect(JSON.stringify(log.lines())).to.not.include(WA_ID);
    graph!.failNext(400, 130429, 'Rate limit hit');
    await proactive(channel, 'two');
    expect(graph!.calls.map((call) => call.body.text?.body)).to.deep.equal(['two']);
  });
});
