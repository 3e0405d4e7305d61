import { runCoreBench } from './core.js';
import { runNluBench } from './nlu.js';
import { runDirectLineBench } from './directline.js';
import { runHandoffBench } from './handoff.js';
import { runAnalyticsBench } from './analytics.js';
import { runDialogBench } from './dialogs.js';
import { runAdversarialBench } from './adversarial.js';
import { redisServerInstalled, startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';

/** `npm run bench`: every benchmark carebot has, printed; nothing here passes or fails. */
async function main(): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`carebot benchmarks: node ${process.version}, ${new Date().toISOString()}`);
  // One private redis-server for every Redis figure, unless REDIS_URL names one.
  let privateRedis: PrivateRedis | undefined;
  if (!process.env.REDIS_URL && redisServerInstalled()) privateRedis = await startPrivateRedis();
  const redisUrl = process.env.REDIS_URL ?? privateRedis?.url;
  try {
    await runCoreBench(print, { redisUrl });
    await runDialogBench(print, { redisUrl });
    await runAdversarialBench(print);
    await runNluBench(print);
    await runDirectLineBench(print, { redisUrl });
    await runHandoffBench(print, { redisUrl });
    await runAnalyticsBench(print, { databaseUrl: process.env.DATABASE_URL });
  } finally {
    await privateRedis?.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
