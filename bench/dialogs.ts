import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Activity } from 'botbuilder';
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

async function dialogStack(label: string, redisUrl: string | undefined, conversations: number, turnsEach: number): Promise<ThroughputResult> {
  const prefix = `bench-dialogs-${Date.now()}`;
  const carebot = await createCarebot(
    loadConfig({ NODE_ENV: 'test', KNOWLEDGE_WATCH: 'false', HANDOFF_ENABLED: 'false', LOG_LEVEL: 'warn', ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix } : {}) }),
    { logger: createLogger({ level: 'warn' }) },
  );
  const adapter = carebot.bot.attachTo(new BenchAdapter());
  try {
    if (carebot.redis) await carebot.redis.ping().catch(() => new Promise((resolve) => setTimeout(resolve, 500)));
    return await measureTurns(label, conversations, turnsEach, (conversation, index) =>
      adapter.process(
        {
          type: 'message',
          id: `${conversation}-${index}`,
          channelId: 'bench',
          serviceUrl: 'bench://local',
          conversation: { id: `dialog-${conversation}`, isGroup: false, name: '' } as Activity['conversation'],
          from: { id: `user-${conversation}`, name: 'user' },
          recipient: { id: 'carebot', name: 'carebot' },
          text: SCRIPT[index % SCRIPT.length],
        },
        (context) => carebot.bot.run(context),
      ),
    );
  } finally {
    if (carebot.redis) {
      const keys = await carebot.redis.keys(`${prefix}:*`);
      if (keys.length > 0) await carebot.redis.del(...keys);
    }
    await carebot.close();
  }
}

/** Turns/s and p99 through NLU + dialogs + knowledge, and how long a reload of every pack takes. */
export async function runDialogBench(print: (line: string) => void, options: { redisUrl?: string | undefined } = {}): Promise<void> {
  const conversations = 50;
  const turnsEach = SCRIPT.length * 2;
  print('');
  print(`## Full dialog stack: ${conversations} concurrent conversations x ${turnsEach} turns of a mixed English/Mandarin/Cantonese script`);
  await dialogStack('warm-up', undefined, 5, SCRIPT.length);
  const rows = [await dialogStack('dialogs + MemoryStorage', undefined, conversations, turnsEach)];
  if (options.redisUrl) rows.push(await dialogStack('dialogs + RedisStorage', options.redisUrl, conversations, turnsEach));
  else print('(Redis storage skipped: no redis-server installed and no REDIS_URL)');
  for (const line of formatTable(rows)) print(line);

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
