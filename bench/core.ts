import { join } from 'node:path';
import { ActivityHandler, ConversationState, UserState, type Activity, type Storage } from 'botbuilder';
import { Redis } from 'ioredis';
import { CarebotBot } from '../src/bot/carebot-bot.js';
import { localeFromMessage } from '../src/bot/locale-from-message.js';
import { createI18n } from '../src/i18n/create-i18n.js';
import { createLogger } from '../src/logger.js';
import { projectRoot } from '../src/project-root.js';
import { ExpiringMemoryStorage } from '../src/state/expiring-memory-storage.js';
import { RedisStorage } from '../src/state/redis-storage.js';
import { BenchAdapter } from './support/bench-adapter.js';
import { formatTable, measureTurns, type ThroughputResult } from './support/measure.js';

/**
 * Each synthetic conversation keeps to one language, as real users mostly do (the full dialog
 * bench switches languages within conversations); digits and emoji carry no language signal.
 */
const CONVERSATION_SCRIPTS: readonly (readonly string[])[] = [
  ['hello', 'what is my balance', 'thanks', '12345'],
  ['你好', '我想查一下余额', '谢谢', '👍'],
  ['早晨', '我想睇下我嘅戶口', '想check下我個bill', '唔該'],
  ['請問營業時間', '想查詢帳戶餘額', '謝謝', '12345'],
];

function activityFor(conversation: number, index: number): Partial<Activity> {
  return {
    type: 'message',
    id: `${conversation}-${index}`,
    channelId: 'bench',
    serviceUrl: 'bench://local',
    conversation: { id: `conversation-${conversation}`, isGroup: false, name: '' } as Activity['conversation'],
    from: { id: `user-${conversation}`, name: 'user' },
    recipient: { id: 'carebot', name: 'carebot' },
    text: CONVERSATION_SCRIPTS[conversation % CONVERSATION_SCRIPTS.length]![index % 4],
  };
}

async function echoFloor(conversations: number, turnsEach: number): Promise<ThroughputResult> {
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(context.activity.text ?? '');
    await next();
  });
  const adapter = new BenchAdapter();
  return measureTurns('botbuilder echo bot (floor)', conversations, turnsEach, (c, i) => adapter.process(activityFor(c, i), (ctx) => bot.run(ctx)));
}

async function carebotPipeline(label: string, storage: Storage, conversations: number, turnsEach: number): Promise<ThroughputResult> {
  const bot = new CarebotBot({
    conversationState: new ConversationState(storage),
    userState: new UserState(storage),
    i18n: await createI18n(join(projectRoot(), 'locales')),
    logger: createLogger({ level: 'warn' }),
    defaultLocale: 'en',
    detectLocale: localeFromMessage,
  });
  const adapter = bot.attachTo(new BenchAdapter());
  return measureTurns(label, conversations, turnsEach, (c, i) => adapter.process(activityFor(c, i), (ctx) => bot.run(ctx)));
}

function medianRun(series: ThroughputResult[]): ThroughputResult {
  const sorted = [...series].sort((a, b) => a.turnsPerSecond - b.turnsPerSecond);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Turn throughput of the full middleware pipeline, in-process, beside the framework's floor. */
export async function runCoreBench(print: (line: string) => void, options: { redisUrl?: string | undefined } = {}): Promise<void> {
  const conversations = 200;
  const turnsEach = 25;
  print(`## Turn throughput: ${conversations} concurrent conversations (en, zh-CN, zh-HK, zh-TW) x ${turnsEach} turns, in-process (no HTTP), median of 3 rounds`);
  // Warm up the JIT so the first row is not penalised.
  await echoFloor(20, 10);
  await carebotPipeline('warm-up', new ExpiringMemoryStorage({ ttlMs: 0 }), 20, 10);

  const redisUrl = options.redisUrl;
  const redis = redisUrl ? new Redis(redisUrl) : undefined;
  const namespace = `bench-${Date.now()}`;
  const rounds = 3;
  // Rounds interleave the pipelines so machine noise hits them alike; the median round is shown.
  const runs: ThroughputResult[][] = [[], [], []];
  try {
    for (let round = 0; round < rounds; round += 1) {
      runs[0]!.push(await echoFloor(conversations, turnsEach));
      runs[1]!.push(await carebotPipeline('carebot + MemoryStorage', new ExpiringMemoryStorage({ ttlMs: 86_400_000 }), conversations, turnsEach));
      if (redis) {
        runs[2]!.push(
          await carebotPipeline('carebot + RedisStorage', new RedisStorage({ redis, namespace: `${namespace}-${round}`, ttlMs: 600_000 }), conversations, turnsEach),
        );
      }
    }
  } finally {
    if (redis) {
      const keys = await redis.keys(`${namespace}-*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  }
  if (!redis) print('(Redis storage skipped: no redis-server installed and no REDIS_URL)');
  const rows = runs.filter((series) => series.length > 0).map(medianRun);
  for (const line of formatTable(rows)) print(line);
  const floor = rows[0]!.turnsPerSecond;
  const memory = rows[1]!.turnsPerSecond;
  print(`carebot (MemoryStorage) runs at ${((memory / floor) * 100).toFixed(0)}% of the echo floor's turns/s (${(floor / memory).toFixed(2)}x slower)`);
}
