import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import express from 'express';
import { expect } from 'chai';
import { loadConfig } from '../../src/config.js';
import type { FeatureDeps } from '../../src/feature.js';
import { listen, type RunningServer } from '../../src/http/http-server.js';
import { ContentRuntime, createKnowledgeFeature, type KnowledgeFeature, type Resolution } from '../../src/knowledge/index.js';
import { memoryLogger } from '../support/silent-logger.js';
import { copyFixture } from './helpers.js';

const HOURS = join('shop', 'pack.yaml');

function answerText(resolution: Resolution): string {
  if (resolution.kind !== 'answer') throw new Error(`expected an answer, got ${resolution.kind}`);
  return resolution.text;
}

describe('content runtime (hot reload)', () => {
  let fixture: Awaited<ReturnType<typeof copyFixture>>;
  let runtime: ContentRuntime;

  beforeEach(async () => {
    fixture = await copyFixture('mini');
    runtime = await ContentRuntime.start({ dir: fixture.dir, modelCacheDir: fixture.cacheDir, logger: memoryLogger('silent').logger });
  });
  afterEach(async () => {
    // A failed start leaves no runtime: clean up what there is, so the setup's own error is the one reported.
    await runtime?.close();
    await fixture?.cleanup();
  });

  it('swaps content and model together on reload', async () => {
    const before = runtime.current();
    expect(answerText(before.knowledge.resolve({ intent: 'shop.returns', locale: 'en', facts: {} }))).to.equal('Returns within 30 days.');
    const path = join(fixture.dir, HOURS);
    await writeFile(path, (await readFile(path, 'utf8')).replace('Returns within 30 days.', 'Returns within 60 days.'));
    const result = await runtime.reload();
    expect(result).to.deep.include({ ok: true, version: 2, packs: ['core', 'shop'], intents: 7 });
    const after = runtime.current();
    expect(after.version).to.equal(2);
    expect(answerText(after.knowledge.resolve({ intent: 'shop.returns', locale: 'en', facts: {} }))).to.equal('Returns within 60 days.');
    expect(after.nlu.classify('how do I return this').topIntent).to.equal('shop.returns');
    // A turn that took the old snapshot keeps its old, consistent view.
    expect(answerText(before.knowledge.resolve({ intent: 'shop.returns', locale: 'en', facts: {} }))).to.equal('Returns within 30 days.');
  });

  it('reloads by itself when a content file changes (watch)', async () => {
    const watched = await ContentRuntime.start({ dir: fixture.dir, modelCacheDir: fixture.cacheDir, logger: memoryLogger('silent').logger, debounceMs: 50 });
    try {
      watched.watch();
      const path = join(fixture.dir, HOURS);
      await writeFile(path, (await readFile(path, 'utf8')).replace('Returns within 30 days.', 'Returns within 90 days.'));
      while (watched.current().version === 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(answerText(watched.current().knowledge.resolve({ intent: 'shop.returns', locale: 'en', facts: {} }))).to.equal('Returns within 90 days.');
    } finally {
      await watched.close();
    }
  });

  it('keeps serving the previous content when a reload fails, and reports file and line', async () => {
    await writeFile(join(fixture.dir, 'shop', 'broken.yaml'), 'intents:\n  - id: shop.x\n    title: [unclosed\n');
    const result = await runtime.reload();
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.version).to.equal(1);
    expect(result.error.code).to.equal('CONTENT_INVALID');
    expect(result.problems[0]!.file).to.match(/shop\/broken\.yaml$/);
    expect(result.problems[0]!.line).to.be.within(3, 4);
    expect(runtime.current().version).to.equal(1);
    expect(answerText(runtime.current().knowledge.resolve({ intent: 'shop.returns', locale: 'zh-HK', facts: {} }))).to.equal('30 日內可以退貨。');
  });

  it('serves a burst of turns during a reload, each from the old or the new snapshot, never a mix', async function () {
    // The reload retrains the model off the main thread; on a busy machine that alone can take longer than mocha's default.
    this.timeout(120_000);
    const path = join(fixture.dir, HOURS);
    await writeFile(path, (await readFile(path, 'utf8')).replace('Stores open at 10.', 'Stores open at 11.').replace('- id: shop.returns', '- id: shop.refunds'));
    const seen: { version: number; text: string; intents: string[] }[] = [];
    let done = false;
    const reload = runtime.reload().finally(() => {
      done = true;
    });
    const turn = () => {
      const snapshot = runtime.current(); // once, at the start of the turn
      const predicted = snapshot.nlu.classify('refund please').topIntent;
      const text = answerText(snapshot.knowledge.resolve({ intent: 'shop.hours', locale: 'en', facts: { city: 'shenzhen' } }));
      expect(snapshot.knowledge.intent(predicted), 'the model and the content come from the same load').to.not.equal(undefined);
      seen.push({ version: snapshot.version, text, intents: snapshot.nlu.intents.filter((i) => i.startsWith('shop.')) });
    };
    while (!done) {
      turn();
      // A turn a millisecond leaves the training worker a core even when the machine has only two.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    for (let i = 0; i < 20; i++) turn();
    expect((await reload).ok).to.equal(true);
    const versions = new Set(seen.map((s) => s.version));
    expect([...versions].every((v) => v === 1 || v === 2)).to.equal(true);
    expect(versions.has(2)).to.equal(true);
    for (const s of seen) {
      if (s.version === 1) expect(s).to.deep.include({ text: 'Stores open at 10.' }).and.to.have.deep.property('intents', ['shop.hours', 'shop.returns']);
      else expect(s).to.deep.include({ text: 'Stores open at 11.' }).and.to.have.deep.property('intents', ['shop.hours', 'shop.refunds']);
    }
  });
});

describe('knowledge feature: POST /admin/reload', () => {
  const TOKEN = 'test-admin-token-0123456789';
  let fixture: Awaited<ReturnType<typeof copyFixture>>;
  let feature: KnowledgeFeature;
  let server: RunningServer;

  before(async () => {
    fixture = await copyFixture('mini');
    const config = loadConfig({ NODE_ENV: 'test', ADMIN_TOKEN: TOKEN, KNOWLEDGE_DIR: fixture.dir, KNOWLEDGE_WATCH: 'false', NLU_MODEL_CACHE_DIR: fixture.cacheDir });
    const deps = { config, logger: memoryLogger('silent').logger, rootDir: fixture.dir } as unknown as FeatureDeps;
    feature = await createKnowledgeFeature(deps);
    const app = express();
    for (const router of feature.routers ?? []) app.use(router);
    server = await listen(app, '127.0.0.1', 0);
  });
  after(async () => {
    await server?.close(1000);
    await feature?.close?.();
    await fixture?.cleanup();
  });

  it('is ready once content is loaded', async () => {
    for (const check of feature.readinessChecks ?? []) await check.check();
    expect(feature.runtime.current().knowledge.intent('shop.hours')?.titles['zh-TW']).to.equal('營業時間');
  });

  it('answers 401 without the admin token', async () => {
    const response = await fetch(`${server.url}/admin/reload`, { method: 'POST' });
    expect(response.status).to.equal(401);
    expect(feature.runtime.current().version).to.equal(1);
  });

  it('reloads with the token and answers the new version', async () => {
    const response = await fetch(`${server.url}/admin/reload`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { version: number; packs: string[]; intents: number; trainMs: number };
    expect(body).to.deep.include({ version: 2, packs: ['core', 'shop'], intents: 7 });
    expect(body.trainMs).to.be.a('number');
  });

  it('answers 422 with file and line when the content is invalid, and keeps serving', async () => {
    await writeFile(join(fixture.dir, 'shop', 'bad.yaml'), 'intents:\n  - id: shop.bad\n    title: { en: Bad }\n    examples: [a, b]\n    answers: [{ en: x, zh-CN: x, zh-HK: x }]\n');
    const response = await fetch(`${server.url}/admin/reload`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).to.equal(422);
    const body = (await response.json()) as { error: { code: string; problems: { file: string; line: number; reason: string }[] } };
    expect(body.error.code).to.equal('CONTENT_INVALID');
    expect(body.error.problems[0]).to.deep.include({ line: 3 });
    expect(body.error.problems[0]!.file).to.match(/shop\/bad\.yaml$/);
    expect(body.error.problems[0]!.reason).to.match(/title\.zh-CN: missing/);
    expect(feature.runtime.current().version).to.equal(2);
  });
});
