import { expect } from 'chai';
import { DEFAULT_FEATURE_CONFIG, extractFeatures } from '../../src/nlu/features.js';
import { IntentClassifier, TUNING } from '../../src/nlu/intent-classifier.js';
import { trainSoftmaxRegression } from '../../src/nlu/softmax-regression.js';
import { TfidfVectorizer } from '../../src/nlu/vectorizer.js';
import { decodeWordVectors, encodeWordVectors, wordVectors } from '../../src/nlu/word-vectors.js';

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('nlu word vectors and softmax regression (few-shot)', function () {
  this.timeout(60000);

  it('round-trips the int8 file format within the quantization step of each row', () => {
    const vectors = [
      [0.5, -1.25, 2, 0],
      [0.001, 0.002, -0.003, 0.0005],
    ];
    const decoded = decodeWordVectors(encodeWordVectors(['alpha', 'beta'], [10, 20], vectors, 4));
    expect(decoded.rows.get('beta')).to.equal(1);
    // Stored rows are unit length times the SIF weight: compare directions.
    const row = (r: number): Float32Array => decoded.weighted.slice(r * 4, r * 4 + 4);
    expect(cosine(row(0), Float32Array.from(vectors[0]!))).to.be.above(0.9999);
    expect(cosine(row(1), Float32Array.from(vectors[1]!))).to.be.above(0.999);
    expect(() => decodeWordVectors(Buffer.from('not a vector file'))).to.throw(/word-vector/);
  });

  it('ships 50k words and maps Chinese words into the English space through CC-CEDICT', () => {
    const v = wordVectors();
    expect(v.rows.size).to.equal(50000);
    const config = { ...DEFAULT_FEATURE_CONFIG, wordVectors: 1 };
    const weather = extractFeatures('what is the weather tomorrow', config).dense!;
    const tianqi = extractFeatures('明天天气怎么样', config).dense!;
    const transfer = extractFeatures('transfer money to my account', config).dense!;
    expect(cosine(weather, tianqi)).to.be.above(cosine(transfer, tianqi));
    // Without the option the dense part is absent and the sparse features are unchanged.
    expect(extractFeatures('明天天气怎么样').dense).to.equal(null);
    expect(extractFeatures('明天天气怎么样', config).hashes).to.deep.equal(extractFeatures('明天天气怎么样').hashes);
  });

  it('appends the averaged vector after the sparse columns, at the configured length', () => {
    const config = { ...DEFAULT_FEATURE_CONFIG, wordVectors: 2 };
    const feats = ['top up my card', 'add money'].map((t) => extractFeatures(t, config));
    const vectorizer = TfidfVectorizer.fit(feats, config);
    const row = vectorizer.transformFeatures(feats[1]!);
    const sparseColumns = vectorizer.dimension - wordVectors().dimensions;
    let dense = 0;
    let sparse = 0;
    row.idx.forEach((col, i) => {
      if (col >= sparseColumns) dense += row.val[i]! ** 2;
      else sparse += row.val[i]! ** 2;
    });
    expect(Math.sqrt(dense)).to.be.closeTo(2, 1e-4);
    expect(Math.sqrt(sparse)).to.be.closeTo(1, 1e-4);
  });

  it('softmax regression separates a small problem and its probabilities rank the right class first', () => {
    const x = { rows: 4, indptr: Int32Array.from([0, 1, 2, 3, 4]), indices: Int32Array.from([0, 0, 1, 2]), values: Float32Array.from([1, 1, 1, 1]) };
    const weights = trainSoftmaxRegression(x, Int32Array.from([0, 0, 1, 2]), 3, 3, { c: 10 });
    for (const [feature, label] of [[0, 0], [1, 1], [2, 2]] as const) {
      const scores = weights.map((w) => w.bias + (w.w[[...w.cols].indexOf(feature)] ?? 0));
      expect(scores.indexOf(Math.max(...scores)), `feature ${feature}`).to.equal(label);
    }
  });

  it('trains, serializes and reloads a few-shot model with softmax regression and word vectors', () => {
    const saved = { softmax: TUNING.softmax, wordVectors: TUNING.wordVectors };
    Object.assign(TUNING, { softmax: true, wordVectors: 2 });
    try {
      const examples = [
        ...['what is my balance', 'how much money do I have', '我的余额是多少'].map((text) => ({ text, intent: 'balance' })),
        ...['send money to my friend', 'transfer funds', '我想转账'].map((text) => ({ text, intent: 'transfer' })),
        ...['I lost my card', 'my card was stolen', '我的卡丢了'].map((text) => ({ text, intent: 'lost_card' })),
      ];
      const model = IntentClassifier.train(examples);
      expect(model.model).to.equal('softmax');
      expect(model.predict('how much cash is in my account').topIntent).to.equal('balance');
      const reloaded = IntentClassifier.fromState(JSON.parse(JSON.stringify(model.toState())));
      expect(reloaded.predict('my wallet with the card was stolen')).to.deep.equal(model.predict('my wallet with the card was stolen'));
      const stale = { ...model.toState(), version: 2 } as unknown as Parameters<typeof IntentClassifier.fromState>[0];
      expect(() => IntentClassifier.fromState(stale)).to.throw(/unknown format or version/);
    } finally {
      Object.assign(TUNING, saved);
    }
  });
});
