import { spawn, type ChildProcess } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { ContentRuntime } from '../../src/knowledge/content-runtime.js';
import { projectRoot } from '../../src/project-root.js';
import { memoryLogger } from './silent-logger.js';

export interface CarebotProcess {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A child carebot that may not be listening yet. */
interface LaunchedCarebot {
  readonly child: ChildProcess;
  /** The URL once it listens; rejects (and the child is killed) when it exits first or takes too long. */
  readonly listening: Promise<string>;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const MAIN = join(projectRoot(), 'src', 'main.ts');

/**
 * How long a child may take to listen. Generous on purpose: on a machine whose two cores are
 * busy, loading tsx, the content and the NLU model takes many times what it takes on an idle one.
 */
export const CAREBOT_START_BUDGET_MS = 120_000;

/** Every child launched and not yet exited, so the root hook can stop what a failed test left. */
const alive = new Set<ChildProcess>();

function launchCarebot(env: Record<string, string>, args: string[], options: { compiled?: boolean; startBudgetMs?: number }): LaunchedCarebot {
  const entry = options.compiled ? [join(projectRoot(), 'dist', 'src', 'main.js')] : ['--import', 'tsx', MAIN];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', NODE_ENV: 'test', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  alive.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      alive.delete(child);
      resolve(code);
    }),
  );
  const budgetMs = options.startBudgetMs ?? CAREBOT_START_BUDGET_MS;
  const listening = new Promise<string>((resolve, reject) => {
    // A process that never comes up is killed, so a failed setup leaves nothing running.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`carebot did not start within ${budgetMs / 1000} s:\n${output}`));
    }, budgetMs);
    const onData = () => {
      const match = /listening on (http:\/\/\S+?) /.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`carebot exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    child,
    listening,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * The carebot processes of one suite, each running `src/main.ts` (the real entry point) or, with
 * `compiled`, the build `npm start` runs (`dist/src/main.js`, built first). Each child is
 * registered the moment it is spawned, before it listens, so `stopAll()` in an `after` hook stops it even when the `before` hook that started
 * it timed out while waiting.
 */
export class CarebotProcesses {
  private readonly launched = new Set<LaunchedCarebot>();

  async start(env: Record<string, string>, args: string[] = [], options: { compiled?: boolean; startBudgetMs?: number } = {}): Promise<CarebotProcess> {
    const launched = launchCarebot(env, args, options);
    this.launched.add(launched);
    const url = await launched.listening;
    return { url, child: launched.child, output: launched.output, stop: launched.stop };
  }

  /** Stops every child this suite launched, listening or not. */
  async stopAll(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const all = [...this.launched];
    this.launched.clear();
    await Promise.all(all.map((launched) => launched.stop(signal)));
  }
}

/** Kills every carebot child still running (the root hook's safety net); returns how many there were. */
export async function stopEveryCarebot(): Promise<number> {
  const children = [...alive];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  return children.length;
}

const prepared = new Map<string, Promise<void>>();

/**
 * Trains (once per run, and only when `.data/models` has no model for this corpus yet) the NLU
 * model a child started with `env` will load, so the children of a test find it cached instead
 * of each training it at once while the test waits. Call it from a `before` hook with a budget
 * for training. Tests of training itself start from an empty cache of their own instead.
 */
export async function prepareNluModel(env: Record<string, string> = {}): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const root = projectRoot();
  const inRoot = (path: string) => (isAbsolute(path) ? path : join(root, path));
  const key = JSON.stringify([config.knowledge.dir, config.knowledge.packs, config.nlu]);
  let done = prepared.get(key);
  if (!done) {
    done = (async () => {
      const runtime = await ContentRuntime.start({
        dir: inRoot(config.knowledge.dir),
        packs: config.knowledge.packs,
        modelCacheDir: inRoot(config.nlu.modelCacheDir),
        outOfScopeThreshold: config.nlu.outOfScopeThreshold,
        ambiguityMargin: config.nlu.ambiguityMargin,
        logger: memoryLogger('silent').logger,
      });
      await runtime.close();
    })();
    prepared.set(key, done);
    done.catch(() => prepared.delete(key));
  }
  await done;
}
