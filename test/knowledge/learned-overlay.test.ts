import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { KnowledgeContentError } from '../../src/knowledge/content-error.js';
import { ContentRuntime } from '../../src/knowledge/content-runtime.js';
import { ContentTeacher } from '../../src/knowledge/content-teacher.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { memoryLogger } from '../support/silent-logger.js';
import { copyFixture } from './helpers.js';

describe('knowledge: the learned overlay', () => {
  let fixture: Awaited<ReturnType<typeof copyFixture>>;
  let overlayDir: string;

  beforeEach(async () => {
    fixture = await copyFixture('mini');
    overlayDir = join(fixture.dir, '..', 'learned');
  });
  afterEach(async () => fixture.cleanup());

  async function overlay(pack: string, text: string): Promise<string> {
    await mkdir(join(overlayDir, pack), { recursive: true });
    const path = join(overlayDir, pack, 'learned.yaml');
    await writeFile(path, text);
    return path;
  }

  async function problemsOf(promise: Promise<unknown>): Promise<{ file: string; line: number; reason: string }[]> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof KnowledgeContentError) return [...error.problems];
      throw error;
    }
    throw new Error('expected the content to be refused');
  }

  it('adds examples to a pack\'s own intents and loads new intents', async () => {
    await overlay('shop', [
      'examples:',
      '  shop.returns: [the parcel came broken, return policy]',
      'intents:',
      '  - id: shop.gift_wrap',
      '    title: { en: Gift wrap, zh-CN: 礼品包装, zh-HK: 禮物包裝 }',
      '    examples: [can you gift wrap it, 可以包装吗]',
      '    answers: [{ en: "Yes, for free.", zh-CN: 可以，免费。, zh-HK: 可以，免費。 }]',
      '',
    ].join('\n'));
    const knowledge = await loadKnowledge({ dir: fixture.dir, overlayDir });
    const returns = knowledge.trainingExamples().filter((e) => e.intent === 'shop.returns').map((e) => e.text);
    // Added once, after the pack's own examples; a repeat of one of them is not counted twice.
    expect(returns.slice(-1)).to.deep.equal(['the parcel came broken']);
    expect(returns.filter((t) => t === 'return policy')).to.have.length(1);
    expect(knowledge.intent('shop.gift_wrap')?.titles.en).to.equal('Gift wrap');
    // Without the overlay folder the packs load as they are.
    expect((await loadKnowledge({ dir: fixture.dir })).intent('shop.gift_wrap')).to.equal(undefined);
  });

  it('refuses examples for another pack\'s or an unknown intent, with file and line', async () => {
    await overlay('shop', 'examples:\n  shop.returns: [fine]\n  core.greeting: [yo]\n  shop.nope: [hm]\n');
    const problems = await problemsOf(loadKnowledge({ dir: fixture.dir, overlayDir }));
    expect(problems.map((p) => [p.file.endsWith(join('learned', 'shop', 'learned.yaml')), p.line])).to.deep.equal([[true, 3], [true, 4]]);
    expect(problems[0]!.reason).to.contain('can only be added to its own intents');
    expect(problems[1]!.reason).to.contain('no intent "shop.nope"');
  });

  it('teaches through the runtime: validated before it is written, then retrained', async () => {
    const runtime = await ContentRuntime.start({ dir: fixture.dir, overlayDir, modelCacheDir: fixture.cacheDir, logger: memoryLogger('silent').logger });
    try {
      const teacher = new ContentTeacher(runtime, overlayDir);
      const taught = await teacher.teach([{ kind: 'example', intent: 'shop.returns', text: 'the parcel came broken' }]);
      expect(taught).to.deep.include({ ok: true, version: 2 });
      expect(runtime.current().knowledge.trainingExamples()).to.deep.include({ text: 'the parcel came broken', intent: 'shop.returns' });
      const written = await readFile(join(overlayDir, 'shop', 'learned.yaml'), 'utf8');

      // A new intent with one example breaks the two-example rule: refused, file untouched, version kept.
      const refused = await teacher.teach([
        { kind: 'intent', id: 'shop.gift_wrap', title: { en: 'Gift wrap', 'zh-CN': '礼品包装', 'zh-HK': '禮物包裝' }, answer: { en: 'Yes.', 'zh-CN': '可以。', 'zh-HK': '可以。' }, examples: ['gift wrap?'] },
      ]);
      expect(refused.ok).to.equal(false);
      if (refused.ok) return;
      expect(refused.problems[0]!.reason).to.contain('at least 2 example');
      expect(refused.problems[0]!.line).to.be.greaterThan(1);
      expect(await readFile(join(overlayDir, 'shop', 'learned.yaml'), 'utf8')).to.equal(written);
      expect(runtime.current().version).to.equal(2);
    } finally {
      await runtime.close();
    }
  });

  it('leaves an overlay file with YAML errors for a person to fix', async () => {
    const path = await overlay('shop', 'examples:\n  shop.returns: [unclosed\n');
    const runtime = new ContentRuntime({ dir: fixture.dir, overlayDir, modelCacheDir: fixture.cacheDir, logger: memoryLogger('silent').logger });
    const refused = await new ContentTeacher(runtime, overlayDir).teach([{ kind: 'example', intent: 'shop.returns', text: 'broken parcel' }]);
    expect(refused.ok).to.equal(false);
    expect(await readFile(path, 'utf8')).to.equal('examples:\n  shop.returns: [unclosed\n');
  });

  it('reloads by itself when an overlay file changes (watch)', async () => {
    const runtime = await ContentRuntime.start({ dir: fixture.dir, overlayDir, modelCacheDir: fixture.cacheDir, logger: memoryLogger('silent').logger, debounceMs: 50 });
    try {
      runtime.watch();
      await overlay('shop', 'examples:\n  shop.returns: [the parcel came broken]\n');
      while (runtime.current().version === 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(runtime.current().knowledge.trainingExamples()).to.deep.include({ text: 'the parcel came broken', intent: 'shop.returns' });
    } finally {
      await runtime.close();
    }
  });
});
