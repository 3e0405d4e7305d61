import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { createCarebot } from '../src/app.js';
import { DEFAULT_MAX_INBOUND_TEXT_CHARS, loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { adversarialCorpus } from '../test/support/adversarial-corpus.js';
import { BenchAdapter } from './support/bench-adapter.js';
import { percentile } from './support/measure.js';

/** The ceiling for one message at the default text cap. */
const CPU_CAP_MS = 250;

/**
 * Worst-case cost of one full turn (cap, NLU with the recognizer budget, dialogs, analytics
 * with redaction) over the fuzz corpus of adversarial inputs: CPU time of the whole process.
 */
export async function runAdversarialBench(print: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'carebot-bench-adversarial-'));
  const carebot = await createCarebot(
    loadConfig({ NODE_ENV: 'test', KNOWLEDGE_WATCH: 'false', HANDOFF_ENABLED: 'false', LOG_LEVEL: 'warn', ANALYTICS_SQLITE_FILE: join(dir, 'analytics.sqlite') }),
    { logger: createLogger({ level: 'warn' }) },
  );
  const adapter = carebot.bot.attachTo(new BenchAdapter());
  try {
    await carebot.start();
    const corpus = adversarialCorpus();
    let id = 0;
    const turn = (text: string) =>
      adapter.process(
        {
          type: 'message',
          id: `adversarial-${++id}`,
          channelId: 'bench',
          serviceUrl: 'bench://local',
          conversation: { id: `adversarial-${id}`, isGroup: false, name: '' } as Activity['conversation'],
          from: { id: `user-${id}`, name: 'user' },
          recipient: { id: 'carebot', name: 'carebot' },
          text,
        },
        (context) => carebot.bot.run(context),
      );
    await turn('warm up: tomorrow at 3pm, $5, 明天三点');
    const costs: { name: string; ms: number }[] = [];
    for (const input of corpus) {
      const started = process.cpuUsage();
      await turn(input.text);
      const used = process.cpuUsage(started);
      costs.push({ name: input.name, ms: (used.user + used.system) / 1000 });
    }
    const sorted = costs.map((cost) => cost.ms).sort((a, b) => a - b);
    const worst = costs.reduce((a, b) => (b.ms > a.ms ? b : a));
    print('');
    print(`## Adversarial inputs: one full turn each, ${corpus.length} inputs of 1-50,000 characters (MAX_INBOUND_TEXT_CHARS=${DEFAULT_MAX_INBOUND_TEXT_CHARS})`);
    print(
      `CPU per turn: p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, worst ${worst.ms.toFixed(0)} ms (${worst.name}); ` +
        `${costs.filter((cost) => cost.ms > CPU_CAP_MS).length} over the ${CPU_CAP_MS} ms cap`,
    );
  } finally {
    await carebot.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
