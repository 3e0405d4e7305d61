import { expect } from 'chai';
import { Redis } from 'ioredis';
import { sign } from '../../adapters/whatsapp-cloud/signature.js';
import type { CloudWebhook } from '../../adapters/whatsapp-cloud/webhook-types.js';
import type { WhatsappCloudChannel } from '../../adapters/whatsapp-cloud/whatsapp-cloud-channel.js';
import { createCarebot, type Carebot } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { listen, type RunningServer } from '../../src/http/http-server.js';
import { eventually } from '../channels/support.js';
import { memoryLogger } from '../support/silent-logger.js';
import { deleteKeys, prefixName, testRedisUrl, uniquePrefix } from '../support/test-redis.js';
import { startFakeGraphApi, shownText, type FakeGraphApi } from './fake-graph-api.js';
import { cloudFixture } from './fixtures.js';

const APP_SECRET = 'two-process-secret';
const WA_ID = '447700900123';

describe('WhatsApp Cloud API on two carebot processes sharing Redis', function () {
  this.timeout(40_000);
  let graph: FakeGraphApi | undefined;
  let redis: Redis | undefined;
  let prefix: string;
  const processes: { carebot: Carebot; running: RunningServer }[] = [];

  before(async () => {
    graph = await startFakeGraphApi();
    prefix = uniquePrefix();
    redis = new Redis(testRedisUrl());
    for (let index = 0; index < 2; index += 1) {
      const carebot = await createCarebot(
        loadConfig({
          NODE_ENV: 'test',
          KNOWLEDGE_WATCH: 'false',
          REDIS_URL: testRedisUrl(),
          REDIS_KEY_PREFIX: prefixName(prefix),
          HANDOFF_ENABLED: 'false',
          WHATSAPP_CLOUD_VERIFY_TOKEN: 'verify',
          WHATSAPP_CLOUD_APP_SECRET: APP_SECRET,
          WHATSAPP_CLOUD_ACCESS_TOKEN: 'token',
          WHATSAPP_CLOUD_PHONE_NUMBER_ID: '106540352242922',
          WHATSAPP_CLOUD_API_BASE_URL: graph.url,
        }),
        { logger: memoryLogger('silent').logger },
      );
      await carebot.start();
      processes.push({ carebot, running: await listen(carebot.app, '127.0.0.1', 0) });
    }
  });
  after(async () => {
    for (const { carebot, running } of processes) {
      await running?.close(1000);
      await carebot?.close();
    }
    if (redis) {
      await deleteKeys(redis, prefix);
      await redis?.quit();
    }
    await graph?.close();
  });

  async function post(index: number, body: CloudWebhook): Promise<number> {
    const raw = JSON.stringify(body);
    const response = await fetch(`${processes[index]!.running.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw, APP_SECRET) }, body: raw });
    return response.status;
  }

  it('answers a message redelivered to the other process once, and the other process knows the window is open', async () => {
    const body = cloudFixture('text-english');
    expect(await post(0, body)).to.equal(200);
    await eventually(() => graph!.calls.some((call) => call.body.to === WA_ID), 'the reply, through the reply queue');
    const answered = graph!.calls.length;
    expect(await post(1, body)).to.equal(200);
    await (processes[1]!.carebot.channels.get('whatsapp-cloud') as WhatsappCloudChannel).idle();
    expect(graph!.calls.length).to.equal(answered);

    // The window key lives in Redis with the window's TTL, so process 1 sends free-form text.
    const ttl = await redis!.pttl(`${prefix}:wa-cloud:window:${WA_ID}`);
    expect(ttl).to.be.within(1, 24 * 60 * 60 * 1000);
    await processes[1]!.carebot.channels.continueConversation(
      { channelId: 'whatsapp-cloud', serviceUrl: 'whatsapp-cloud://', conversation: { id: WA_ID, isGroup: false, conversationType: 'personal', name: '' }, user: { id: WA_ID, name: 'Sheena' }, bot: { id: 'carebot', name: 'carebot' } },
      async (context) => {
        await context.sendActivity('A proactive update');
      },
    );
    const last = graph!.calls.at(-1)!;
    expect(last.body.type).to.equal('text');
    expect(shownText(last)).to.equal('A proactive update');
  });
});
