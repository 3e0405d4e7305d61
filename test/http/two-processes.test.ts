import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { spawnCarebot, type CarebotProcess } from '../support/spawn-carebot.js';
import { startConnectorStub, messageActivity, type ConnectorStub } from '../support/connector-stub.js';
import { connectTestRedis, deleteKeys, testRedisUrl, uniquePrefix } from '../support/test-redis.js';

describe('two carebot processes sharing one Redis', () => {
  const prefix = uniquePrefix();
  let redis: Redis;
  let stub: ConnectorStub;
  let processes: CarebotProcess[];

  before(async () => {
    redis = connectTestRedis();
    stub = await startConnectorStub();
    const env = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix };
    processes = await Promise.all([spawnCarebot(env), spawnCarebot(env)]);
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await stub.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('keeps one conversation\'s state consistent when its turns alternate between them', async () => {
    const turns = 10;
    for (let turn = 0; turn < turns; turn += 1) {
      const target = processes[turn % 2]!;
      // Turn 3 sets the language from a Cantonese message; later turns carry no language signal.
      const text = turn === 3 ? '我想睇下我嘅戶口' : `${turn}`;
      const response = await fetch(`${target.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageActivity(stub.url, text, { conversation: { id: 'shared-conversation' } as never, from: { id: 'user-42', name: 'U' } })),
      });
      expect(response.status, await response.text()).to.be.oneOf([200, 201, 202]);
      await stub.waitFor(turn + 1);
    }
    const replies = stub.received.slice(-turns);
    expect(replies.map((reply) => reply.locale)).to.deep.equal(['en', 'en', 'en', 'zh-HK', 'zh-HK', 'zh-HK', 'zh-HK', 'zh-HK', 'zh-HK', 'zh-HK']);

    const stored = await redis.hget(`${prefix}:conversation:emulator/conversations/shared-conversation/`, 'doc');
    expect(stored, 'conversation state is in Redis').to.be.a('string');
    expect((JSON.parse(stored!) as { conversation: { turnCount: number } }).conversation.turnCount).to.equal(turns);
    const ttl = await redis.pttl(`${prefix}:conversation:emulator/conversations/shared-conversation/`);
    expect(ttl, 'idle conversations expire').to.be.greaterThan(0);
  });
});
