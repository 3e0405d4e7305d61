import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ActivityHandler, ConversationState, MemoryStorage, UserState, type Activity, type TurnContext } from 'botbuilder';
import { ComponentDialog, DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog } from 'botbuilder-dialogs';
import type { AnalyticsFeature } from '../src/analytics/analytics-feature.js';
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

type Pipeline = (label: string, conversations: number, turnsEach: number, waves: number) => Promise<ThroughputResult>;

/** Times the script through `adapter` and `logic`; each measured run starts new conversations. */
function scriptPipeline(name: string, adapter: BenchAdapter, logic: (context: TurnContext) => Promise<void>, afterWave?: () => Promise<void>): Pipeline {
  let run = 0;
  return (label, conversations, turnsEach, waves) => {
    run += 1;
    return measureTurns(label, conversations, turnsEach, (c, i) => adapter.process(scriptActivity(`${name}-${run}-${c}`, c, i), logic), { waves, ...(afterWave ? { afterWave } : {}) });
  };
}

/** botbuilder's echo bot on the same script and concurrency: the floor the dialog stack is compared with. */
function echoFloor(): Pipeline {
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(context.activity.text ?? '');
    await next();
  });
  return scriptPipeline('echo', new BenchAdapter(), (context) => bot.run(context));
}

/**
 * What botbuilder itself costs per dialog turn, with nothing of carebot: its samples' shape
 * (conversation and user state on MemoryStorage, a DialogSet, a component dialog with a
 * waterfall and a prompt) answering every message in one step and saving state.
 */
function botbuilderDialogSample(): Pipeline {
  const storage = new MemoryStorage();
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const conversationData = conversationState.createProperty<{ turns?: number }>('conversation');
  const profile = userState.createProperty<{ seen?: boolean }>('profile');
  class AnswerSample extends ComponentDialog {
    constructor() {
      super('answer');
      this.addDialog(new TextPrompt('slot'));
      this.addDialog(
        new WaterfallDialog('steps', [
          async (step) => {
            await step.context.sendActivity(`You said: ${step.context.activity.text ?? ''}`);
            return step.endDialog();
          },
        ]),
      );
      this.initialDialogId = 'steps';
    }
  }
  const dialogs = new DialogSet(conversationState.createProperty('dialogState'));
  dialogs.add(new AnswerSample());
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    const data = await conversationData.get(context, {});
    data.turns = (data.turns ?? 0) + 1;
    (await profile.get(context, {})).seen = true;
    const dc = await dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog('answer');
    await next();
  });
  const runTurn = async (context: TurnContext) => {
    await bot.run(context);
    await conversationState.saveChanges(context);
    await userState.saveChanges(context);
  };
  return scriptPipeline('sample', new BenchAdapter(), runTurn);
}

/** One carebot with the full dialog stack. */
async function dialogStack(redisUrl: string | undefined): Promise<{
  measure: Pipeline;
  close: () => Promise<void>;
}> {
  const prefix = `bench-dialogs-${Date.now()}`;
  const carebot = await createCarebot(
    loadConfig({ NODE_ENV: 'test', KNOWLEDGE_WATCH: 'false', HANDOFF_ENABLED: 'false', LOG_LEVEL: 'warn', ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix } : {}) }),
    { logger: createLogger({ level: 'warn' }) },
  );
  const adapter = carebot.bot.attachTo(new BenchAdapter());
  // The turns' analytics events are written on this event loop too (the embedded SQLite store),
  // by a timer that a run of turns with no I/O never lets fire: each wave's writes are timed with it.
  const analytics = carebot.features.find((feature): feature is AnalyticsFeature => feature.name === 'analytics');
  if (carebot.redis) await carebot.redis.ping().catch(() => new Promise((resolve) => setTimeout(resolve, 500)));
  return {
    measure: scriptPipeline('dialog', adapter, (context) => carebot.bot.run(context), analytics ? () => analytics.writer.flush() : undefined),
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

/**
 * Turns/s and p99 through NLU + dialogs + knowledge beside botbuilder's echo bot and botbuilder's
 * own dialog sample, and how long a reload of every pack takes.
 */
export async function runDialogBench(print: (line: string) => void, options: { redisUrl?: string | undefined } = {}): Promise<void> {
  const conversations = 50;
  const turnsEach = SCRIPT.length * 2;
  // 4,800 turns a run: one wave (1,200 turns) lasted ~0.1 s for the echo bot, too short to time.
  const waves = 4;
  const rounds = 5;
  print('');
  print(
    `## Full dialog stack: ${waves} waves of ${conversations} concurrent new conversations x ${turnsEach} turns of a mixed English/Mandarin/Cantonese script, ` +
      `beside botbuilder's echo bot and botbuilder's dialog sample on the same script, after two discarded warm-up runs each, median of ${rounds} rounds`,
  );
  const echo = echoFloor();
  const sample = botbuilderDialogSample();
  const memory = await dialogStack(undefined);
  const redis = options.redisUrl ? await dialogStack(options.redisUrl) : undefined;
  // Rounds interleave the pipelines so machine noise hits them alike; the table shows each one's median round.
  const runs: ThroughputResult[][] = [[], [], [], []];
  try {
    // Full-size warm-up runs, discarded: with a short one, the echo bot's turns/s still rose by
    // half over the next rounds (its code and heap warming up), flattering every ratio to it.
    for (let warmUp = 0; warmUp < 2; warmUp += 1) {
      await echo('warm-up', conversations, turnsEach, waves);
      await sample('warm-up', conversations, turnsEach, waves);
      await memory.measure('warm-up', conversations, turnsEach, waves);
    }
    await redis?.measure('warm-up', 5, SCRIPT.length, 1);
    for (let round = 0; round < rounds; round += 1) {
      runs[0]!.push(await echo('botbuilder echo bot (floor)', conversations, turnsEach, waves));
      runs[1]!.push(await sample('botbuilder dialog sample (state + DialogSet + component dialog)', conversations, turnsEach, waves));
      runs[2]!.push(await memory.measure('carebot dialogs + MemoryStorage', conversations, turnsEach, waves));
      if (redis) runs[3]!.push(await redis.measure('carebot dialogs + RedisStorage', conversations, turnsEach, waves));
    }
  } finally {
    await memory.close();
    await redis?.close();
  }
  if (!redis) print('(Redis storage skipped: no redis-server installed and no REDIS_URL)');
  const rows = runs.filter((series) => series.length > 0).map(medianRun);
  for (const line of formatTable(rows)) print(line);
  // Each ratio within its own round (the pipelines ran back to back): the echo floor alone moved
  // by a third from round to round, so a ratio of two medians from different rounds says less.
  const ratios = (part: readonly ThroughputResult[], whole: readonly ThroughputResult[]) =>
    part.map((run, round) => (run.turnsPerSecond / whole[round]!.turnsPerSecond) * 100).sort((a, b) => a - b);
  const describe = (sorted: number[]) => `${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)}% (rounds ${sorted[0]!.toFixed(0)}–${sorted.at(-1)!.toFixed(0)}%)`;
  const [echoRuns, sampleRuns, carebotRuns] = runs as [ThroughputResult[], ThroughputResult[], ThroughputResult[]];
  print(
    `median of the rounds' ratios: the full dialog stack (MemoryStorage) runs at ${describe(ratios(carebotRuns, echoRuns))} of the echo floor's turns/s; ` +
      `botbuilder's dialog sample, with nothing of carebot, at ${describe(ratios(sampleRuns, echoRuns))}; carebot at ${describe(ratios(carebotRuns, sampleRuns))} of the sample`,
  );

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
