import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { projectRoot } from '../../src/project-root.js';
import { DEVICES_YAML, LOBBY_SECRET, TOKEN_SECRET } from '../kiosk/support/kiosk-server.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { CarebotProcesses, prepareNluModel } from '../support/spawn-carebot.js';

/**
 * `npm start` runs the compiled build, not the sources the other tests load through tsx: files
 * read at run time (Redis scripts, pages, content) must be found from dist/ too.
 */
describe('the compiled build (what npm start runs)', function () {
  // tsc on the whole project, then a start: minutes on a busy machine.
  this.timeout(480_000);
  const carebots = new CarebotProcesses();
  let redis: PrivateRedis | undefined;
  let dir: string | undefined;
  after(async () => {
    await carebots.stopAll();
    await redis?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('builds, starts on Redis with the kiosk channel and handoff, and serves a Direct Line conversation', async () => {
    await promisify(execFile)(process.execPath, [join(projectRoot(), 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: projectRoot() });
    redis = await startPrivateRedis();
    dir = mkdtempSync(join(tmpdir(), 'carebot-compiled-'));
    writeFileSync(join(dir, 'devices.yaml'), DEVICES_YAML);
    const env = {
      REDIS_URL: redis.url,
      KNOWLEDGE_PACKS: 'core',
      KNOWLEDGE_WATCH: 'false',
      KIOSK_DEVICES_FILE: join(dir, 'devices.yaml'),
      KIOSK_TOKEN_SECRET: TOKEN_SECRET,
      // Handoff on Redis loads its Lua scripts at startup, from the source tree.
      HANDOFF_AGENTS_FILE: 'config/agents.example.yaml',
      HANDOFF_CANNED_RESPONSES_FILE: 'config/canned-responses.example.yaml',
    };
    await prepareNluModel(env);
    const carebot = await carebots.start(env, [], { compiled: true });
    expect((await fetch(`${carebot.url}/readyz`)).status, carebot.output()).to.equal(200);
    const started = await fetch(`${carebot.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${LOBBY_SECRET}` } });
    expect(started.status, carebot.output()).to.be.oneOf([200, 201]);
    const { conversationId, token } = (await started.json()) as { conversationId: string; token: string };
    const posted = await fetch(`${carebot.url}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: 'visitor' }, text: 'hello' }),
    });
    expect(posted.status, carebot.output()).to.equal(200);
    // The staff pages' files are read at run time from src/agent/console.
    for (const path of ['/agent', '/agent/staff.js', '/agent/console.js', '/supervisor', '/supervisor/supervisor.js', '/openapi.json']) {
      expect((await fetch(`${carebot.url}${path}`)).status, path).to.equal(200);
    }
  });
});
