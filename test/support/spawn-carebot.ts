import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/project-root.js';

export interface CarebotProcess {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const MAIN = join(projectRoot(), 'src', 'main.ts');

/**
 * Runs `src/main.ts` (the real entry point) in a child process with the given environment, or
 * with `compiled`, the build `npm start` runs (`dist/src/main.js`, which must be built first).
 */
export async function spawnCarebot(env: Record<string, string>, args: string[] = [], options: { compiled?: boolean } = {}): Promise<CarebotProcess> {
  const entry = options.compiled ? [join(projectRoot(), 'dist', 'src', 'main.js')] : ['--import', 'tsx', MAIN];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', NODE_ENV: 'test', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    // A process that never comes up is killed, so a failed setup leaves nothing running.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`carebot did not start within 45 s:\n${output}`));
    }, 45_000);
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
    url,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
