import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HASH_SECRET_FILE } from '../../src/analytics/hash-secret.js';
import { projectRoot } from '../../src/project-root.js';

/** The formula the README's Security section gives for a log line's pseudonym. */
function documentedPseudonym(secret: string, kind: string, id: string): string {
  return `${kind}:${createHmac('sha256', secret).update(`log:${kind}/${id}`).digest('hex').slice(0, 12)}`;
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(projectRoot(), 'src', 'main.ts'), 'log-pseudonym', ...args],
      { cwd: projectRoot(), env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('log-pseudonym CLI', function () {
  // Each case is a process loading tsx: seconds on a busy machine.
  this.timeout(150_000);
  const secret = 'a-test-secret-of-at-least-thirty-two-characters';
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'carebot-pseudonym-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints a chat's pseudonym under ANALYTICS_HASH_SECRET, as the logs carry it", async () => {
    const { code, stdout } = await runCli(['whatsapp', '85291234567@c.us'], { ANALYTICS_HASH_SECRET: secret });
    expect(code).to.equal(0);
    expect(stdout.trim()).to.equal(documentedPseudonym(secret, 'whatsapp', '85291234567@c.us'));
  });

  it("prints a message id's pseudonym with --message", async () => {
    const { code, stdout } = await runCli(['whatsapp-cloud', 'wamid.HBgLODUyOTEyMzQ1Njc', '--message'], { ANALYTICS_HASH_SECRET: secret });
    expect(code).to.equal(0);
    expect(stdout.trim()).to.equal(documentedPseudonym(secret, 'message', 'wamid.HBgLODUyOTEyMzQ1Njc'));
  });

  it("reads the installation's secret file beside the SQLite database", async () => {
    writeFileSync(join(dir, HASH_SECRET_FILE), `${secret}\n`);
    const { code, stdout } = await runCli(['wechat', 'wxid_abc'], { NODE_ENV: 'development', ANALYTICS_SQLITE_FILE: join(dir, 'analytics.sqlite') });
    expect(code).to.equal(0);
    expect(stdout.trim()).to.equal(documentedPseudonym(secret, 'wechat', 'wxid_abc'));
  });

  it('refuses, and creates no secret, when the installation has none: a new one would name nobody in the logs', async () => {
    const { code, stdout, stderr } = await runCli(['wechat', 'wxid_abc'], { NODE_ENV: 'development', ANALYTICS_SQLITE_FILE: join(dir, 'analytics.sqlite') });
    expect(code).to.equal(1);
    expect(stdout).to.equal('');
    expect(stderr).to.contain(`no ${join(dir, HASH_SECRET_FILE)}`);
    expect(existsSync(join(dir, HASH_SECRET_FILE))).to.equal(false);
  });

  it('refuses with an in-memory database, whose secret lives and dies with its process', async () => {
    const { code, stderr } = await runCli(['wechat', 'wxid_abc'], { NODE_ENV: 'test' });
    expect(code).to.equal(1);
    expect(stderr).to.contain('in-memory');
  });

  it('prints its usage, and fails, without a channel and an id', async () => {
    const { code, stdout } = await runCli(['whatsapp'], { ANALYTICS_HASH_SECRET: secret });
    expect(code).to.equal(2);
    expect(stdout).to.contain('usage: npm run log-pseudonym');
  });
});
