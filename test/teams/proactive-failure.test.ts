import { expect } from 'chai';
import { join } from 'node:path';
import { ConversationState, MemoryStorage, UserState, type Storage, type StoreItems } from 'botbuilder';
import { createBotFrameworkChannel } from '../../adapters/teams/bot-framework-channel.js';
import { CarebotBot } from '../../src/bot/carebot-bot.js';
import { localeFromMessage } from '../../src/bot/locale-from-message.js';
import { ChannelRegistry } from '../../src/channels/channel-registry.js';
import { StorageError } from '../../src/errors.js';
import { MemoryOutboundDelivery } from '../../src/channels/outbound/memory-outbound-delivery.js';
import type { OutboundMessage } from '../../src/channels/outbound/outbound-delivery.js';
import { createI18n } from '../../src/i18n/create-i18n.js';
import { projectRoot } from '../../src/project-root.js';
import { startConnectorStub, type ConnectorStub } from '../support/connector-stub.js';
import { memoryLogger } from '../support/silent-logger.js';

/** State storage during a Redis outage: every read fails. */
class UnavailableStorage implements Storage {
  async read(): Promise<StoreItems> {
    throw new StorageError('STORAGE_UNAVAILABLE', 'Redis read failed: Connection is closed.');
  }
  async write(): Promise<void> {
    throw new StorageError('STORAGE_UNAVAILABLE', 'Redis write failed: Connection is closed.');
  }
  async delete(): Promise<void> {}
}

describe('a proactive turn to a Teams / Bot Framework customer that fails', () => {
  let stub: ConnectorStub;

  before(async () => {
    stub = await startConnectorStub();
  });
  after(() => stub?.close());

  async function botFrameworkChannels(storage: Storage): Promise<ChannelRegistry> {
    const bot = new CarebotBot({
      conversationState: new ConversationState(storage),
      userState: new UserState(storage),
      i18n: await createI18n(join(projectRoot(), 'locales'), 'en'),
      logger: memoryLogger('silent').logger,
      defaultLocale: 'en',
      detectLocale: localeFromMessage,
    });
    const channel = createBotFrameworkChannel({ enabled: true, appId: undefined, appPassword: undefined, tenantId: undefined, appType: 'MultiTenant' } as never);
    bot.attachTo(channel.adapter);
    const channels = new ChannelRegistry();
    channels.register(channel);
    return channels;
  }

  const agentReply = (text: string): OutboundMessage => ({
    id: `agent-reply-${text.replace(/\W/g, '')}`,
    reference: {
      channelId: 'msteams',
      serviceUrl: stub.url,
      conversation: { id: 'a:1personal-chat-li-wei', isGroup: false, conversationType: 'personal', name: '' },
      user: { id: '29:1worker-sz', name: 'Li Wei' },
      bot: { id: '28:carebot', name: 'carebot' },
    },
    activities: [{ type: 'message', text }],
    origin: { kind: 'agent', handoffId: 'h1', messageId: 'm1', agentId: 'mei' },
  });

  /** An outbound queue whose send runs the message through the channel's proactive turn, as the handoff's does. */
  function outboundThrough(channels: ChannelRegistry) {
    const outcomes: { delivered: string[]; failed: { text: string; error: string }[] } = { delivered: [], failed: [] };
    const outbound = new MemoryOutboundDelivery(
      (message) => channels.continueConversation(message.reference, async (context) => {
        await context.sendActivities(message.activities.map((activity) => ({ ...activity })));
      }),
      { attempts: 3, backoffMs: 1 },
    );
    outbound.listen({
      delivered: (message) => void outcomes.delivered.push(String(message.activities[0]?.text)),
      failed: (message, error) => void outcomes.failed.push({ text: String(message.activities[0]?.text), error }),
    });
    return { outbound, outcomes };
  }

  it('rejects through CloudAdapter.continueConversationAsync instead of the turn-error handler swallowing it', async () => {
    const channels = await botFrameworkChannels(new UnavailableStorage());
    let rejection: unknown;
    try {
      await channels.continueConversation(agentReply('hello').reference, async (context) => {
        await context.sendActivity('hello');
      });
    } catch (error) {
      rejection = error;
    }
    expect((rejection as { code?: string } | undefined)?.code).to.equal('STORAGE_UNAVAILABLE');
  });

  it('is retried and then reported failed by the outbound delivery, never shown as delivered', async () => {
    const before = stub.received.length;
    const { outbound, outcomes } = outboundThrough(await botFrameworkChannels(new UnavailableStorage()));
    await outbound.enqueue(agentReply('Your card is on its way'));
    await outbound.idle();
    await outbound.close();
    expect(outcomes.delivered).to.deep.equal([]);
    expect(outcomes.failed).to.have.length(1);
    expect(outcomes.failed[0]).to.include({ text: 'Your card is on its way' });
    expect(outcomes.failed[0]!.error).to.include('Connection is closed');
    expect(stub.received.length).to.equal(before);
  });

  it('delivers once the store answers again', async () => {
    const before = stub.received.length;
    const { outbound, outcomes } = outboundThrough(await botFrameworkChannels(new MemoryStorage()));
    await outbound.enqueue(agentReply('Back online'));
    await outbound.idle();
    await outbound.close();
    expect(outcomes).to.deep.equal({ delivered: ['Back online'], failed: [] });
    expect((await stub.waitFor(before + 1)).slice(before).map((activity) => activity.text)).to.deep.equal(['Back online']);
  });
});
