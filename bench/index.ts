import { runCoreBench } from './core.js';
import { runNluBench } from './nlu.js';
import { runDirectLineBench } from './directline.js';
import { runHandoffBench } from './handoff.js';

/** `npm run bench`: every benchmark carebot has, printed; nothing here passes or fails. */
async function main(): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`carebot benchmarks: node ${process.version}, ${new Date().toISOString()}`);
  await runCoreBench(print, { redisUrl: process.env.REDIS_URL });
  await runNluBench(print);
  await runDirectLineBench(print);
  await runHandoffBench(print, { redisUrl: process.env.REDIS_URL });
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
