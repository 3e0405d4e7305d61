import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { projectRoot } from '../src/project-root.js';

/** Runs `body` in a fresh Node process (with tsx), where no earlier test has built anything; returns its stdout. */
async function inFreshProcess(body: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', body], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    timeout: 110_000,
  });
  return stdout.trim();
}

describe('startup', () => {
  it('builds the entity recognizers before a turn needs them (the first message with a date waited 1.6 s of CPU, and every turn queued behind it as long)', async function () {
    this.timeout(120_000);
    const module = (path: string) => JSON.stringify(pathToFileURL(join(projectRoot(), path)).href);
    const output = await inFreshProcess(`
      const { createCarebot } = await import(${module('src/app.ts')});
      const { loadConfig } = await import(${module('src/config.ts')});
      const { createLogger } = await import(${module('src/logger.ts')});
      const { recognizersWarm } = await import(${module('src/nlu/entities/extract-entities.ts')});
      const before = recognizersWarm();
      const carebot = await createCarebot(loadConfig({ NODE_ENV: 'test', KNOWLEDGE_WATCH: 'false' }), { logger: createLogger({ level: 'silent' }) });
      console.log(JSON.stringify({ before, after: recognizersWarm() }));
      await carebot.close();
      process.exit(0);
    `);
    expect(JSON.parse(output.split('\n').at(-1)!)).to.deep.equal({ before: false, after: true });
  });
});
