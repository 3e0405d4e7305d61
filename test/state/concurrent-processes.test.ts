import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { projectRoot } from '../../src/project-root.js';
import { connectTestRedis, deleteKeys, testRedisUrl, uniquePrefix } from '../support/test-redis.js';

const SCRIPT = join(projectRoot(), 'test', 'state', 'support', 'increment-turns.ts');

interface Incrementer {
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<{ conflicts: number }>;
}

function startIncrementer(namespace: string, count: number): Incrementer {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, testRedisUrl(), namespace, String(count)], {
    cwd: projectRoot(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    for (const wake of waiters.splice(0)) wake();
  });
  const line = (test: (text: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = lines.find(test);
        if (found) resolve(found);
        else waiters.push(check);
      };
      check();
      void exited.then((code) => reject(new Error(`incrementer exited with ${code}:\n${output}`)));
    });
  return {
    child,
    ready: line((text) => text === 'ready').then(() => undefined),
    done: line((text) => text.startsWith('{')).then((text) => JSON.parse(text) as { conflicts: number }),
  };
}

describe('state written by two processes at once (Redis)', () => {
  const prefix = uniquePrefix();
  let redis: Redis;
  const children: ChildProcess[] = [];

  before(() => {
    redis = connectTestRedis();
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await deleteKeys(redis, prefix);
    await redis?.quit();
  });

  it('loses no turn: every save is checked against the eTag its state was read with', async function () {
    this.timeout(60_000);
    const turns = 150;
    // The conversation exists before the race, as it does after its first turn.
    await redis.hset(`${prefix}:test/conversations/shared/`, 'etag', 'seed', 'doc', JSON.stringify({ counter: 0 }));
    const incrementers = [startIncrementer(prefix, turns), startIncrementer(prefix, turns)];
    children.push(...incrementers.map((incrementer) => incrementer.child));
    await Promise.all(incrementers.map((incrementer) => incrementer.ready));
    for (const incrementer of incrementers) incrementer.child.stdin?.write('go\n');
    const results = await Promise.all(incrementers.map((incrementer) => incrementer.done));

    const stored = JSON.parse((await redis.hget(`${prefix}:test/conversations/shared/`, 'doc'))!) as { counter: number };
    const conflicts = results.reduce((sum, result) => sum + result.conflicts, 0);
    expect(stored.counter, `${conflicts} stale saves were rejected and retried`).to.equal(2 * turns);
  });
});
