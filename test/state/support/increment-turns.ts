/**
 * A child process for test/state/concurrent-processes.test.ts: once told "go" on stdin, runs
 * `count` turns that each read a conversation's counter through botbuilder's ConversationState on
 * RedisStorage, add one and save; a save rejected as stale (another process wrote first) is
 * retried from a fresh read, as a turn would be. Prints {"conflicts":n} when done.
 * argv: redisUrl namespace count
 */
import { ConversationState, TestAdapter, TurnContext } from 'botbuilder';
import { Redis } from 'ioredis';
import { hasErrorCode } from '../../../src/errors.js';
import { RedisStorage } from '../../../src/state/redis-storage.js';

const [redisUrl, namespace, countArg] = process.argv.slice(2);
const redis = new Redis(redisUrl!, { maxRetriesPerRequest: 1 });
const state = new ConversationState(new RedisStorage({ redis, namespace: namespace!, ttlMs: 60_000 }));
const counter = state.createProperty<number>('counter');
const adapter = new TestAdapter();

async function incrementOnce(): Promise<number> {
  for (let conflicts = 0; ; conflicts += 1) {
    const context = new TurnContext(adapter, { type: 'message', channelId: 'test', conversation: { id: 'shared' } as never });
    await counter.set(context, (await counter.get(context, 0)) + 1);
    try {
      await state.saveChanges(context);
      return conflicts;
    } catch (error) {
      if (!hasErrorCode(error, 'STORAGE_ETAG_CONFLICT')) throw error;
    }
  }
}

await redis.ping();
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
let conflicts = 0;
for (let turn = 0; turn < Number(countArg); turn += 1) conflicts += await incrementOnce();
process.stdout.write(`${JSON.stringify({ conflicts })}\n`);
await redis.quit();
process.exit(0);
