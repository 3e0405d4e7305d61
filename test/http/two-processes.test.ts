import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { CarebotProcesses, prepareNluModel, type CarebotProcess } from '../support/spawn-carebot.js';
import { startConnectorStub, messageActivity, type ConnectorStub } from '../support/connector-stub.js';
import { connectTestRedis, deleteKeys, prefixName, testRedisUrl, uniquePrefix } from '../support/test-redis.js';

describe('two carebot processes sharing one Redis', () => {
  const prefix = uniquePrefix();
  let redis: Redis;
  let stub: ConnectorStub;
  const carebots = new CarebotProcesses();
  let processes: CarebotProcess[] = [];

  before(async function () {
    // Training (once, when no model is cached) and two starts on a busy machine: see CAREBOT_START_BUDGET_MS.
    this.timeout(360_000);
    redis = connectTestRedis();
    stub = await startConnectorStub();
    await prepareNluModel();
    const env = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefixName(prefix) };
    processes = await Promise.all([carebots.start(env), carebots.start(env)]);
  });
  after(async function () {
    this.timeout(60_000);
    // Registered at spawn: stops the children even when the before hook timed out waiting for them.
    await carebots.stopAll();
    await stub?.close();
    if (redis) {
      await deleteKeys(redis, prefix);
      await redis.quit();
    }
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

  it('loses no turn when both answer the same conversation at once', async function () {
    this.timeout(60_000);
    const perProcess = 10;
    const before = stub.received.length;
    const send = (target: CarebotProcess, turn: number) =>
      fetch(`${target.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageActivity(stub.url, `concurrent ${turn}`, { conversation: { id: 'raced-conversation' } as never, from: { id: 'user-43', name: 'U' } })),
      });
    const responses = await Promise.all(
      Array.from({ length: perProcess * 2 }, (_, turn) => send(processes[turn % 2]!, turn)),
    );
    expect(responses.map((response) => response.status)).to.satisfy((codes: number[]) => codes.every((code) => code >= 200 && code < 300));
    const replies = (await stub.waitFor(before + perProcess * 2, 30_000)).slice(before);

    const stored = await redis.hget(`${prefix}:conversation:emulator/conversations/raced-conversation/`, 'doc');
    expect((JSON.parse(stored!) as { conversation: { turnCount: number } }).conversation.turnCount, 'every turn counted').to.equal(perProcess * 2);
    expect(processes.map((p) => p.output()).join('\n'), 'no turn failed').to.not.include('turn failed');
    expect(replies.filter((reply) => reply.conversation?.id === 'raced-conversation')).to.have.length(perProcess * 2);
  });
});
