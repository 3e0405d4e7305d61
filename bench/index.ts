import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCoreBench } from './core.js';
import { runNluBench } from './nlu.js';
import { runDirectLineBench } from './directline.js';
import { runHandoffBench } from './handoff.js';
import { runAnalyticsBench } from './analytics.js';
import { runDialogBench } from './dialogs.js';
import { runAdversarialBench } from './adversarial.js';
import { redisServerInstalled, startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';

type Print = (line: string) => void;
interface Urls {
  redisUrl: string | undefined;
  databaseUrl: string | undefined;
}

/** Every benchmark carebot has, in the order `npm run bench` prints them. */
const PARTS: Readonly<Record<string, (print: Print, urls: Urls) => Promise<void>>> = {
  core: (print, { redisUrl }) => runCoreBench(print, { redisUrl }),
  dialogs: (print, { redisUrl }) => runDialogBench(print, { redisUrl }),
  adversarial: (print) => runAdversarialBench(print),
  nlu: (print) => runNluBench(print),
  directline: (print, { redisUrl }) => runDirectLineBench(print, { redisUrl }),
  handoff: (print, { redisUrl }) => runHandoffBench(print, { redisUrl }),
  analytics: (print, { databaseUrl }) => runAnalyticsBench(print, { databaseUrl }),
};

/**
 * Runs one part in a process of its own: in one process, each part ran on the heap the parts
 * before it left (the dialog bench's carebots, 10,000 Direct Line conversations), and its
 * throughput and tail latency paid for their garbage collection.
 */
function runPartInOwnProcess(part: string, urls: Urls): Promise<void> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...(urls.redisUrl ? { REDIS_URL: urls.redisUrl } : {}) };
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--part', part], { stdio: 'inherit', env });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`bench part "${part}" failed (${signal ?? `exit code ${code}`})`))));
  });
}

/** `npm run bench`: every benchmark carebot has, printed; nothing here passes or fails. */
async function main(): Promise<void> {
  const print: Print = (line) => process.stdout.write(`${line}\n`);
  const partFlag = process.argv.indexOf('--part');
  const part = partFlag >= 0 ? (process.argv[partFlag + 1] ?? '') : undefined;
  const run = part === undefined ? undefined : PARTS[part];
  if (part !== undefined && !run) throw new Error(`unknown bench part "${part}"; parts: ${Object.keys(PARTS).join(', ')}`);
  if (part === undefined) print(`carebot benchmarks: node ${process.version}, ${new Date().toISOString()}`);
  // One private redis-server for every Redis figure, unless REDIS_URL names one (as it does for a part this process spawned).
  let privateRedis: PrivateRedis | undefined;
  if (!process.env.REDIS_URL && redisServerInstalled()) privateRedis = await startPrivateRedis();
  const urls: Urls = { redisUrl: process.env.REDIS_URL ?? privateRedis?.url, databaseUrl: process.env.DATABASE_URL };
  try {
    if (run) await run(print, urls);
    else for (const name of Object.keys(PARTS)) await runPartInOwnProcess(name, urls);
  } finally {
    await privateRedis?.destroy();
  }
}

main().then(
  // A part's own clients and timers must not keep it running once it has printed.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
