import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ActivityHandler, type Activity } from 'botbuilder';
import { createCarebot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { ContentRuntime } from '../src/knowledge/content-runtime.js';
import { createLogger } from '../src/logger.js';
import { projectRoot } from '../src/project-root.js';
import { BenchAdapter } from './support/bench-adapter.js';
import { formatTable, measureTurns, type ThroughputResult } from './support/measure.js';

/** A mixed-language script: questions, slot answers, small talk, misunderstandings. */
const SCRIPT = [
  'hi',
  'how much social insurance do I pay',
  'Shenzhen',
  'foreign employee',
  '我的信用卡丢了',
  '我個女5歲，醫療保險包唔包發燒',
  'what time do branches open on Saturday?',
  '想check下我張信用卡嘅bill',
  '年假有几天',
  'the purple elephant sings at midnight',
  '唔該',
  'thanks',
];

function scriptActivity(conversationId: string, conversation: number, index: number): Partial<Activity> {
  return {
    type: 'message',
    id: `${conversation}-${index}`,
    channelId: 'bench',
    serviceUrl: 'bench://local',
    conversation: { id: conversationId, isGroup: false, name: '' } as Activity['conversation'],
    from: { id: `user-${conversation}`, name: 'user' },
    recipient: { id: 'carebot', name: 'carebot' },
    text: SCRIPT[index % SCRIPT.length],
  };
}

/** botbuilder's echo bot on the same script and concurrency: the floor the dialog stack is compared with. */
function echoFloor(): (label: string, conversations: number, turnsEach: number) => Promise<ThroughputResult> {
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(context.activity.text ?? '');
    await next();
  });
  const adapter = new BenchAdapter();
  let run = 0;
  return (label, conversations, turnsEach) => {
    run += 1;
    return measureTurns(label, conversations, turnsEach, (c, i) => adapter.process(scriptActivity(`echo-${run}-${c}`, c, i), (ctx) => bot.run(ctx)));
  };
}

/** One carebot with the full dialog stack; each measured run starts new conversations. */
async function dialogStack(redisUrl: string | undefined): Promise<{
  measure: (label: string, conversations: number, turnsEach: number) => Promise<ThroughputResult>;
  close: () => Promise<void>;
}> {
  const prefix = `bench-dialogs-${Date.now()}`;
  const carebot = await createCarebot(
    loadConfig({ NODE_ENV: 'test', KNOWLEDGE_WATCH: 'false', HANDOFF_ENABLED: 'false', LOG_LEVEL: 'warn', ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix } : {}) }),
    { logger: createLogger({ level: 'warn' }) },
  );
  const adapter = carebot.bot.attachTo(new BenchAdapter());
  if (carebot.redis) await carebot.redis.ping().catch(() => new Promise((resolve) => setTimeout(resolve, 500)));
  let run = 0;
  return {
    measure: (label, conversations, turnsEach) => {
      run += 1;
      return measureTurns(label, conversations, turnsEach, (c, i) => adapter.process(scriptActivity(`dialog-${run}-${c}`, c, i), (context) => carebot.bot.run(context)));
    },
    close: async () => {
      if (carebot.redis) {
        const keys = await carebot.redis.keys(`${prefix}:*`);
        if (keys.length > 0) await carebot.redis.del(...keys);
      }
      await carebot.close();
    },
  };
}

function medianRun(series: ThroughputResult[]): ThroughputResult {
  const sorted = [...series].sort((a, b) => a.turnsPerSecond - b.turnsPerSecond);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Turns/s and p99 through NLU + dialogs + knowledge beside botbuilder's echo bot, and how long a reload of every pack takes. */
export async function runDialogBench(print: (line: string) => void, options: { redisUrl?: string | undefined } = {}): Promise<void> {
  const conversations = 50;
  const turnsEach = SCRIPT.length * 2;
  const rounds = 3;
  print('');
  print(`## Full dialog stack: ${conversations} concurrent conversations x ${turnsEach} turns of a mixed English/Mandarin/Cantonese script, beside the echo bot on the same script, median of ${rounds} rounds`);
  const echo = echoFloor();
  const memory = await dialogStack(undefined);
  const redis = options.redisUrl ? await dialogStack(options.redisUrl) : undefined;
  // Rounds interleave the pipelines so machine noise hits them alike; the median round is shown.
  const runs: ThroughputResult[][] = [[], [], []];
  try {
    await echo('warm-up', 5, SCRIPT.length);
    await memory.measure('warm-up', 5, SCRIPT.length);
    await redis?.measure('warm-up', 5, SCRIPT.length);
    for (let round = 0; round < rounds; round += 1) {
      runs[0]!.push(await echo('botbuilder echo bot (floor)', conversations, turnsEach));
      runs[1]!.push(await memory.measure('dialogs + MemoryStorage', conversations, turnsEach));
      if (redis) runs[2]!.push(await redis.measure('dialogs + RedisStorage', conversations, turnsEach));
    }
  } finally {
    await memory.close();
    await redis?.close();
  }
  if (!redis) print('(Redis storage skipped: no redis-server installed and no REDIS_URL)');
  const rows = runs.filter((series) => series.length > 0).map(medianRun);
  for (const line of formatTable(rows)) print(line);
  const floor = rows[0]!.turnsPerSecond;
  print(`the full dialog stack (MemoryStorage) runs at ${((rows[1]!.turnsPerSecond / floor) * 100).toFixed(0)}% of the echo floor's turns/s`);

  const cache = mkdtempSync(join(tmpdir(), 'carebot-bench-models-'));
  try {
    const logger = createLogger({ level: 'warn' });
    // How long the event loop stood still during the cold load: turns would wait that long.
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    const started = performance.now();
    const runtime = await ContentRuntime.start({ dir: join(projectRoot(), 'knowledge'), modelCacheDir: cache, logger });
    const coldMs = performance.now() - started;
    // A stall is recorded when the delayed timer finally fires, just after the load.
    await sleep(50);
    stalls.disable();
    const warmStarted = performance.now();
    const warm = await runtime.reload();
    const warmMs = performance.now() - warmStarted;
    const { knowledge } = runtime.current();
    await runtime.close();
    print(
      `reload of all packs (${knowledge.packs.length} packs, ${knowledge.intents.length} intents, ${knowledge.trainingExamples().length} examples): ` +
        `${coldMs.toFixed(0)} ms cold (validate + train; longest event-loop stall ${(stalls.max / 1e6).toFixed(0)} ms), ` +
        `${warmMs.toFixed(0)} ms with the cached model${warm.ok && warm.fromCache ? '' : ' (retrained)'}`,
    );
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}
