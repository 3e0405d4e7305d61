import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { hasErrorCode } from '../../src/errors.js';
import { KnowledgeContentError, loadKnowledge } from '../../src/knowledge/index.js';
import { FIXTURES, PACKS_DIR, ROOT } from './helpers.js';

async function loadError(dir: string, packs?: string[]): Promise<KnowledgeContentError> {
  try {
    await loadKnowledge({ dir, packs });
  } catch (error) {
    expect(hasErrorCode(error, 'CONTENT_INVALID')).to.equal(true);
    expect(error).to.be.instanceOf(KnowledgeContentError);
    return error as KnowledgeContentError;
  }
  throw new Error('expected the content to be rejected');
}

describe('knowledge content errors', () => {
  it('reports a YAML syntax error with its file and line', async () => {
    const error = await loadError(join(FIXTURES, 'broken-yaml'));
    expect(error.problems).to.have.length(1);
    expect(error.problems[0]!.file).to.match(/broken-yaml\/shop\/extra\.yaml$/);
    expect(error.problems[0]!.line).to.be.within(4, 5);
    expect(error.problems[0]!.reason).to.match(/YAML syntax/);
    expect(error.message).to.match(/extra\.yaml:[45]: YAML syntax/);
  });

  it('reports a schema violation (a missing zh-HK answer) at the line of the answer', async () => {
    const error = await loadError(join(FIXTURES, 'invalid-schema'));
    expect(error.problems).to.deep.equal([
      { file: error.problems[0]!.file, line: 6, reason: error.problems[0]!.reason },
    ]);
    expect(error.problems[0]!.file).to.match(/invalid-schema\/shop\/extra\.yaml$/);
    expect(error.problems[0]!.reason).to.match(/intents\.0\.answers\.0\.zh-HK: missing/);
  });

  it('reports an unknown pack in KNOWLEDGE_PACKS', async () => {
    const error = await loadError(PACKS_DIR, ['bank', 'nope']);
    expect(error.problems[0]!.reason).to.match(/pack "nope" not found/);
  });

  describe('npm run content -- validate', () => {
    const run = promisify(execFile);
    const cli = (args: string[]) => run(join(ROOT, 'node_modules/.bin/tsx'), ['src/cli/content.ts', 'validate', ...args], { cwd: ROOT });

    it('exits 0 on the real packs', async () => {
      const { stdout } = await cli([]);
      for (const pack of ['bank', 'core', 'hr', 'insurance', 'visitor']) expect(stdout).to.match(new RegExp(`ok\\s+${pack}\\b`));
      expect(stdout).to.match(/valid/);
    });

    it('exits non-zero with file:line on a broken fixture', async () => {
      const failure = await cli(['--dir', 'test/fixtures/knowledge/invalid-schema']).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).to.equal(1);
      expect(failure?.stderr).to.match(/test\/fixtures\/knowledge\/invalid-schema\/shop\/extra\.yaml:6: /);
    });
  });
});
