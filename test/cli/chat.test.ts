import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createCarebot } from '../../src/app.js';
import { runChat } from '../../src/cli/chat.js';
import { loadConfig } from '../../src/config.js';
import { projectRoot } from '../../src/project-root.js';
import { memoryLogger } from '../support/silent-logger.js';
import { prepareNluModel } from '../support/spawn-carebot.js';

/** Processes a test started; any still running when it ends (a failure or a timeout) is killed. */
const running = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.on('exit', () => running.delete(child));
  return child;
}

function runMain(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot(), 'src', 'main.ts'), ...args], {
      cwd: projectRoot(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    track(child);
    child.stdin.end(stdin);
  });
}

describe('chat CLI', function () {
  // Each case starts carebot in a child process, which loads the content and its NLU model: on a
  // busy machine that takes longer than mocha's default, so the limit is generous and the child
  // is always stopped.
  this.timeout(120_000);
  before(async function () {
    // The children load the model trained here (once, when none is cached) instead of training it each.
    this.timeout(300_000);
    await prepareNluModel();
  });
  afterEach(() => {
    for (const child of running) child.kill('SIGKILL');
  });

  it('answers piped lines in order and exits 0 at end of input', async () => {
    const { code, stdout, stderr } = await runMain(['chat'], 'hello\n你好\nqwxz zzkj\n講廣東話\nqwxz zzkj\n');
    expect(code, stderr).to.equal(0);
    expect(stdout.trim().split('\n')).to.deep.equal([
      "Hello! I'm carebot. Ask me a question in English, 普通话 or 廣東話.",
      "Hello! I'm carebot. Ask me a question in English, 普通话 or 廣東話.",
      '您好！我是 carebot。可以用普通话、English 或廣東話问我问题。',
      "Sorry, I didn't quite get that. Could you say it another way?",
      '好呀，之後我會用廣東話覆你。',
      '我仲係唔太清楚你想要乜，係唔係以下其中一樣？',
      ...stdout.trim().split('\n').slice(6),
    ]);
    expect(stdout.trim().split('\n').slice(6).every((line) => /^ {2}\d\. /.test(line)), 'suggestions are numbered').to.equal(true);
  });

  it('uses --locale for the greeting and for messages without language signal', async () => {
    const { code, stdout } = await runMain(['chat', '--locale', 'zh-HK'], '123\n');
    expect(code).to.equal(0);
    expect(stdout.trim().split('\n')).to.deep.equal(['你好！我係 carebot。你可以用廣東話、普通話或者 English 問我嘢。', '唔好意思，我唔係好明。可唔可以換個講法？']);
  });

  it('stops with a clear message on an invalid setting', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot(), 'src', 'main.ts'), 'chat'], {
        env: { PATH: process.env.PATH ?? '', PORT: 'eighty' },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
      track(child);
      child.stdin.end();
    });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include('PORT="eighty"').and.include('expected a port number');
    expect(result.stderr).to.not.include('    at ');
  });

  it('shows a prompt in interactive mode', async () => {
    const carebot = await createCarebot(loadConfig({}), { logger: memoryLogger('silent').logger });
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const done = runChat({ carebot, input, output, interactive: true });
    input.end('hi\n/quit\n');
    await done;
    await carebot.close();
    expect(printed).to.include('bot> Hello!').and.include('you> ');
  });
});
