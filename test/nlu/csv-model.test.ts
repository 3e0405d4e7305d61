import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseLabelledCsv } from '../../src/nlu/csv.js';
import { evaluate } from '../../src/nlu/evaluate.js';
import { loadOrTrain } from '../../src/nlu/model-store.js';
import { expNonPositive, IntentClassifier } from '../../src/nlu/intent-classifier.js';
import { DEFAULT_FEATURE_CONFIG, featureHashes } from '../../src/nlu/features.js';
import { LinearSvm } from '../../src/nlu/linear-svm.js';
import { ContentError } from '../../src/errors.js';
import { NluEngine } from '../../src/nlu/nlu-engine.js';
import { trainOffThread } from '../../src/nlu/train-off-thread.js';
import { makeRng, OneVsRestSolver } from '../../src/nlu/svm-solver.js';
import type { ClassWeights } from '../../src/nlu/svm-solver.js';
import { SvmWorkerPool, trainClassesInParallel } from '../../src/nlu/svm-threads.js';
import { TfidfVectorizer } from '../../src/nlu/vectorizer.js';
import type { SparseMatrix } from '../../src/nlu/vectorizer.js';
import type { TrainingExample } from '../../src/nlu/types.js';

const fixtures = new URL('../fixtures/nlu/', import.meta.url);

async function corpus(name: string) {
  return parseLabelledCsv(await readFile(new URL(name, fixtures), 'utf8'), name);
}

describe('nlu CSV reading', () => {
  it('parses quoted fields with commas, doubled quotes and newlines', () => {
    const rows = parseLabelledCsv('text,label\r\n"hello, ""world""\nsecond line",greet\nplain,other\n');
    expect(rows).to.have.length(2);
    expect(rows[0]).to.include({ text: 'hello, "world"\nsecond line', label: 'greet', line: 2 });
    expect(rows[1]).to.include({ text: 'plain', label: 'other', line: 4 });
  });

  it('reads the optional lang column', () => {
    const rows = parseLabelledCsv('text,label,lang\n唔該,thanks,yue\n');
    expect(rows[0]).to.include({ lang: 'yue' });
  });

  it('reports malformed lines with their line numbers', () => {
    expect(() => parseLabelledCsv('text,label\nok,a\ntoo,many,fields\n')).to.throw(/line 3: expected 2 fields, found 3/);
    expect(() => parseLabelledCsv('text,label\nok,a\n"unterminated,b\n')).to.throw(/line 3: unterminated quoted field/);
    expect(() => parseLabelledCsv('words,intent_name\nx,y\n')).to.throw(/header must contain/);
  });
});

describe('nlu engine', function () {
  this.timeout(30000);
  let train: TrainingExample[];
  let engine: NluEngine;

  before(async () => {
    train = (await corpus('train.csv')).map((r) => ({ text: r.text, intent: r.label }));
    engine = NluEngine.train(train);
  });

  it('stays above the accuracy floor on the multilingual fixture corpus', async () => {
    const test = await corpus('test.csv');
    const report = evaluate(engine, test);
    expect(report.top1Accuracy).to.be.at.least(0.9);
    expect(report.inScopeAccuracy).to.be.at.least(0.85);
    expect(report.byLang['yue']?.accuracy).to.be.at.least(0.8);
  });

  it('transfers across scripts and to code-mixed Cantonese', () => {
    expect(engine.classify('幫我取消個plan').topIntent).to.equal('cancel_plan');
    expect(engine.classify('我的帐户余额').topIntent).to.equal('check_balance');
  });

  it('rejects out-of-scope requests below the threshold, and the threshold is overridable', () => {
    const r = engine.analyze('给我讲个笑话', { oosThreshold: 0.99 });
    expect(r.outOfScope).to.equal(true);
    expect(r.intent).to.equal(null);
    expect(engine.analyze('what is my account balance', { oosThreshold: 0 }).intent).to.equal('check_balance');
    expect(engine.oosThreshold).to.be.within(0, 0.9);
  });

  it('keeps the top confidence low for text no intent matches, even on a tiny corpus', () => {
    // The "none" logit: a relative lead over other intents is not enough for high confidence.
    expect(engine.classify('给我讲个笑话').confidence).to.be.below(0.5);
    expect(engine.classify('给我讲个笑话').outOfScope).to.equal(true);
    expect(engine.classify('我張信用卡唔見咗').confidence).to.be.above(0.5);
  });

  it('returns the full analysis shape', () => {
    const r = engine.analyze('我張卡唔見咗，好嬲！');
    expect(r.intent).to.equal('lost_card');
    expect(r.language).to.equal('yue');
    expect(r.sentiment.label).to.equal('negative');
    expect(r.alternatives[0]?.intent).to.equal('lost_card');
    expect(r.confidence).to.be.within(0, 1);
  });

  it('round-trips through serialize/load with identical predictions', () => {
    const loaded = NluEngine.load(engine.serialize());
    expect(loaded.corpusHash).to.equal(engine.corpusHash);
    for (const text of ['cancel my plan', '我仲有幾多錢', '轉真人啦', 'random words']) {
      expect(loaded.classify(text)).to.deep.equal(engine.classify(text));
    }
    expect(() => NluEngine.load('{"format":"other"}')).to.throw(/not a carebot NLU model/);
  });

  it('scores the same with the WebAssembly SIMD scorer as with the sparse JavaScript scorer', () => {
    const state = engine.toJSON().intent;
    const simd = IntentClassifier.fromState(state);
    const js = IntentClassifier.fromState(state);
    (js as unknown as { svm: { simd: unknown } }).svm.simd = null;
    for (const text of ['cancel my plan', '我仲有幾多錢', '想check下我個bill', '']) {
      const a = simd.probabilities(text);
      const b = js.probabilities(text);
      for (let k = 0; k < a.length; k++) expect(a[k]).to.be.closeTo(b[k]!, 1e-5);
    }
  });

  it('computes the exponentials of the softmax within a relative 1e-6 of Math.exp', () => {
    for (let x = 0; x > -740; x -= 0.0173) {
      const exact = Math.exp(x);
      expect(Math.abs(expNonPositive(x) - exact), `e^${x}`).to.be.at.most(exact * 1e-6 + 1e-300);
    }
    expect(expNonPositive(0)).to.equal(1);
    expect(expNonPositive(-1e6)).to.equal(0);
    expect(expNonPositive(-Infinity)).to.equal(0);
    expect(expNonPositive(Number.NaN)).to.be.NaN;
  });

  it('scores every block of sixteen classes, including a partial last block, like the sparse scorer', () => {
    const rng = makeRng(3);
    const classes = 37;
    const dimension = 400;
    const ptr = new Int32Array(dimension + 1);
    const cls: number[] = [];
    const w: number[] = [];
    for (let j = 0; j < dimension; j++) {
      for (let k = 0; k < classes; k++) {
        if (rng() < 0.4) {
          cls.push(k);
          w.push((rng() - 0.5) * 4);
        }
      }
      ptr[j + 1] = cls.length;
    }
    const bias = Float32Array.from({ length: classes }, () => rng() - 0.5);
    const sparse = new LinearSvm(classes, dimension, bias, ptr, Uint16Array.from(cls), Float32Array.from(w));
    const simd = new LinearSvm(classes, dimension, bias, ptr, Uint16Array.from(cls), Float32Array.from(w)).enableSimd();
    expect((simd as unknown as { simd: unknown }).simd, 'WebAssembly SIMD available').to.not.equal(null);
    for (let trial = 0; trial < 20; trial++) {
      const m = 1 + Math.floor(rng() * 120);
      const ids = Int32Array.from({ length: m }, () => Math.floor(rng() * dimension));
      const vals = Float32Array.from({ length: m }, () => rng());
      const a = simd.scoresInto(ids, vals, m, new Float64Array(classes));
      const b = sparse.scoresInto(ids, vals, m, new Float64Array(classes));
      for (let k = 0; k < classes; k++) expect(a[k], `class ${k}`).to.be.closeTo(b[k]!, 1e-4);
    }
  });

  describe('training off the event loop', () => {
    const probes = ['I lost my card', '我想查余额', '想check下我個bill', 'what is the weather on Mars'];
    const sameModel = (got: NluEngine, want: NluEngine): void => {
      expect(got.corpusHash).to.equal(want.corpusHash);
      for (const text of probes) expect(got.classify(text), text).to.deep.equal(want.classify(text));
    };

    it('trains on a worker thread while the event loop keeps turning, and gives the model NluEngine.train gives', async () => {
      let turns = 0;
      let training = true;
      const spin = (): void => {
        if (!training) return;
        turns++;
        setImmediate(spin);
      };
      setImmediate(spin);
      const { engine, workerError } = await trainOffThread(train).finally(() => {
        training = false;
      });
      expect(workerError).to.equal(undefined);
      // In-place training would block the thread from the first turn to the end.
      expect(turns).to.be.greaterThan(100);
      sameModel(engine, NluEngine.train(train));
    });

    it('trains in place when the worker cannot start, and reports content errors as NluEngine.train does', async () => {
      const { engine, workerError } = await trainOffThread(train, {}, new URL('no-such-worker.js', fixtures));
      expect(workerError).to.contain('no-such-worker.js');
      sameModel(engine, NluEngine.train(train));
      const oneIntent = [{ text: 'hello', intent: 'greet' }, { text: 'hi there', intent: 'greet' }];
      let error: unknown;
      await trainOffThread(oneIntent).catch((e: unknown) => {
        error = e;
      });
      expect(error).to.be.instanceOf(ContentError);
      expect((error as Error).message).to.contain('at least 2 intents');
    });
  });

  describe('SVM training on worker threads', () => {
    const solverOptions = { c: 2, prune: 0.01 };
    let problem: { x: SparseMatrix; y: Int32Array; classes: number; dimension: number };
    let expected: ClassWeights[];

    before(() => {
      const labels = [...new Set(train.map((e) => e.intent))].sort();
      const feats = train.map((e) => featureHashes(e.text, DEFAULT_FEATURE_CONFIG));
      const vectorizer = TfidfVectorizer.fit(feats, DEFAULT_FEATURE_CONFIG);
      const x = TfidfVectorizer.toMatrix(feats.map((f) => vectorizer.transformFeatures(f)));
      const y = Int32Array.from(train, (e) => labels.indexOf(e.intent));
      problem = { x, y, classes: labels.length, dimension: vectorizer.dimension };
      const solver = new OneVsRestSolver(x, y, vectorizer.dimension, solverOptions);
      expected = labels.map((_, k) => solver.train(k));
    });

    const expectSameWeights = (got: ClassWeights[]): void => {
      expect(got).to.have.length(expected.length);
      expected.forEach((want, k) => {
        expect(got[k]!.bias, `class ${k}`).to.equal(want.bias);
        expect([...got[k]!.cols], `class ${k}`).to.deep.equal([...want.cols]);
        expect([...got[k]!.w], `class ${k}`).to.deep.equal([...want.w]);
      });
    };

    it('gives the same weights as the calling thread alone, and reports every class done', () => {
      const { x, y, classes, dimension } = problem;
      const progress: number[] = [];
      const onWorkers = trainClassesInParallel(x, y, classes, dimension, solverOptions, {
        workers: 2,
        trainOnCaller: false,
        onClassDone: (done) => progress.push(done),
      });
      expect(onWorkers.trainedByWorkers).to.equal(classes);
      expect(progress).to.deep.equal(expected.map((_, i) => i + 1));
      expectSameWeights(onWorkers.weights);

      const alone = LinearSvm.train(x, y, classes, dimension, { ...solverOptions, workers: 0 });
      const shared = LinearSvm.train(x, y, classes, dimension, { ...solverOptions, workers: 1 });
      for (const key of ['bias', 'ptr', 'cls', 'w'] as const) expect([...shared[key]], key).to.deep.equal([...alone[key]]);
    });

    for (const [name, worker, stallMs] of [
      ['reports an error for every class', 'svm-worker-failing.ts', 60_000],
      ['dies holding a class', 'svm-worker-dying.ts', 1_500],
    ] as const) {
      it(`trains every class itself when a worker ${name}`, async () => {
        const pool = new SvmWorkerPool({ entry: new URL(worker, fixtures), stallMs });
        try {
          const { x, y, classes, dimension } = problem;
          const run = pool.train(x, y, classes, dimension, solverOptions, { workers: 1, trainOnCaller: false });
          expect(run.trainedByWorkers).to.equal(0);
          expectSameWeights(run.weights);
        } finally {
          await pool.close();
        }
      });
    }
  });

  it('reuses a saved model for the same corpus instead of retraining', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'carebot-nlu-'));
    try {
      const first = await loadOrTrain(train, dir);
      const second = await loadOrTrain(train, dir);
      expect(first.fromCache).to.equal(false);
      expect(second.fromCache).to.equal(true);
      expect(second.path).to.equal(first.path);
      const changed = await loadOrTrain([...train, { text: 'new example', intent: 'cancel_plan' }], dir);
      expect(changed.fromCache).to.equal(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('NluEngine.load across engine versions', () => {
  it('refuses a model trained with another feature extraction instead of scoring garbage', () => {
    const engine = NluEngine.train([
      { text: 'lost my card', intent: 'card.lost' },
      { text: 'card missing', intent: 'card.lost' },
      { text: 'opening hours', intent: 'branch.hours' },
      { text: 'when do you open', intent: 'branch.hours' },
    ]);
    const stale = { ...engine.toJSON(), engine: 'an-older-engine' };
    expect(() => NluEngine.load(stale)).to.throw(/another version of the NLU engine/);
    expect(NluEngine.load(engine.serialize()).classify('lost card').intent).to.equal('card.lost');
  });
});
