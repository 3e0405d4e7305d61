import { expect } from 'chai';
import { Redis } from 'ioredis';
import { testRedisUrl } from '../support/test-redis.js';
import { startHarness, type Harness } from './harness.js';

describe('handoff transcript: the bot side is redacted before it is stored', () => {
  let harness: Harness | undefined;
  let redis: Redis | undefined;

  before(async () => {
    harness = await startHarness({ redisUrl: testRedisUrl() });
    harness.bot.setMessageHandler({
      onMessage: async (context) => {
        await context.sendActivity('marker-7f3: we will call you on 9123 4567 or write to jane.doe@example.com');
      },
    });
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  });
  after(async () => {
    await harness?.close();
    redis?.disconnect();
  });

  it('keeps no phone number or email from a bot reply in Redis', async () => {
    await harness!.say('transcript-redaction-user', 'hello');
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis!.scan(cursor, 'MATCH', '*handoff:transcript:*', 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const entries = (await Promise.all(keys.map((key) => redis!.lrange(key, 0, -1)))).flat().filter((entry) => entry.includes('marker-7f3'));
    expect(entries).to.have.length(1);
    expect(JSON.parse(entries[0]!)).to.include({ from: 'bot', text: 'marker-7f3: we will call you on [PHONE] or write to [EMAIL]' });
  });
});
