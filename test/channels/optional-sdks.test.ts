import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { projectRoot } from '../../src/project-root.js';

const run = promisify(execFile);
const RECORDER = join(projectRoot(), 'test', 'support', 'import-recorder');

/** Starts carebot in a child process and returns every module URL its loader resolved. */
async function modulesLoadedBy(env: Record<string, string>): Promise<string[]> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--import', join(RECORDER, 'register.mjs'), join(RECORDER, 'start-disabled.ts')], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as string[];
}

describe('wechaty and whatsapp-web.js are optional', function () {
  this.timeout(90_000);

  it('starts carebot with WeChat and WhatsApp Web disabled without loading either SDK', async () => {
    const urls = await modulesLoadedBy({ WECHAT_ENABLED: 'false', WHATSAPP_ENABLED: 'false' });
    // The recorder sees package imports at all (express is loaded by the HTTP app)...
    expect(urls.some((url) => url.includes('/node_modules/express/'))).to.equal(true);
    // ...and none of the two SDKs, nor what they pull in.
    const sdk = urls.filter((url) => /\/node_modules\/(wechaty[^/]*|whatsapp-web\.js|puppeteer[^/]*)\//.test(url));
    expect(sdk).to.deep.equal([]);
  });
});
