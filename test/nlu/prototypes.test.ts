import { expect } from 'chai';
import { DEFAULT_FEATURE_CONFIG, featureHashes, LARGE_CORPUS_FEATURE_CONFIG } from '../../src/nlu/features.js';
import { IntentClassifier, TUNING } from '../../src/nlu/intent-classifier.js';
import type { TrainingExample } from '../../src/nlu/types.js';

/** Trains with TUNING overridden for the call only (TUNING is process-wide). */
function trainWith(overrides: Partial<typeof TUNING>, examples: readonly TrainingExample[]): IntentClassifier {
  const saved = { ...TUNING };
  Object.assign(TUNING, overrides);
  try {
    return IntentClassifier.train(examples, { seed: 3 });
  } finally {
    Object.assign(TUNING, saved);
  }
}

const CORPUS: TrainingExample[] = Object.entries({
  car_repair: ['my car broke down', 'the car will not start', 'book a car repair', 'engine trouble with my car', '我的车坏了'],
  lost_wallet: ['I lost my wallet', 'where is my wallet', 'my purse is missing', 'I cannot find my wallet', '我的钱包丢了'],
  weather: ['will it rain tomorrow', 'what is the weather like', 'is it sunny today', 'weather forecast please', '明天天气怎么样'],
  music: ['play some music', 'put on a song', 'I want to hear a song', 'play my playlist', '放一首歌'],
  alarm: ['set an alarm for seven', 'wake me up at six', 'alarm at 8 am', 'cancel my alarm', '设个闹钟'],
  restaurant: ['book a table for two', 'reserve a restaurant', 'find a place to eat dinner', 'table for four tonight', '订一个餐厅'],
}).flatMap(([intent, texts]) => texts.map((text) => ({ text, intent })));

const TEXTS = [
  'the purple elephant sings at midnight',
  'qwxz zzkj',
  'my automobile is damaged',
  'some tunes please',
  'somewhere to dine',
  'forecast for the weekend',
  'reserve a song',
  'wallet alarm',
  'I need a mechanic',
  '给我讲个笑话',
  '下雨吗',
  'lost my car keys',
  'umbrella needed',
  'music umbrella',
  'table umbrella',
  'rain purse',
  'wake dinner',
];

/** The intents within `margin` of the leader: the candidates of a close call. */
function closeCandidates(model: IntentClassifier, text: string): string[] {
  const p = model.predict(text, { alternatives: model.labels.length });
  return p.alternatives.filter((a) => a.confidence >= p.confidence - model.ambiguityMargin).map((a) => a.intent).sort();
}

describe('nlu word-vector close-call term (few-shot)', function () {
  this.timeout(60000);

  it('only orders close calls: rejection, the ambiguity call and the confidences stay the sparse model\'s', () => {
    const sparse = trainWith({ wordVectors: 0, prototypes: 0 }, CORPUS);
    const ranked = trainWith({ wordVectors: 1, prototypes: 2 }, CORPUS);
    expect(ranked.breaksCloseCalls).to.equal(true);
    expect(ranked.oosThreshold).to.equal(sparse.oosThreshold);
    const texts = TEXTS;
    for (const text of texts) {
      const a = sparse.predict(text);
      const b = ranked.predict(text);
      expect(b.outOfScope, `${text}: out of scope`).to.equal(a.outOfScope);
      expect(b.ambiguous, `${text}: ambiguous`).to.equal(a.ambiguous);
      // Intents swap places, their probabilities do not: "did you mean" offers what it offered.
      expect(b.alternatives.map((x) => x.confidence), `${text}: confidences`).to.deep.equal(a.alternatives.map((x) => x.confidence));
      if (!b.ambiguous) expect(b, `${text}: not a close call`).to.deep.equal(a);
      else expect(closeCandidates(ranked, text), `${text}: candidates`).to.deep.equal(closeCandidates(sparse, text));
    }
    // The texts include close calls the term decides differently.
    expect(texts.some((text) => sparse.predict(text).topIntent !== ranked.predict(text).topIntent)).to.equal(true);
  });

  it('puts a paraphrase that shares no word with its intent first in a close call, and survives a reload', () => {
    const sparse = trainWith({ wordVectors: 0, prototypes: 0 }, CORPUS);
    const ranked = trainWith({ wordVectors: 1, prototypes: 2 }, CORPUS);
    // "tunes" is no word of the music examples; its vector is near "music" and "song".
    const text = 'some tunes please';
    expect(sparse.predict(text).topIntent).to.not.equal('music');
    expect(ranked.predict(text).topIntent).to.equal('music');
    const reloaded = IntentClassifier.fromState(JSON.parse(JSON.stringify(ranked.toState())));
    expect(reloaded.breaksCloseCalls).to.equal(true);
    for (const t of TEXTS) expect(reloaded.predict(t), t).to.deep.equal(ranked.predict(t));
    // The word-vector SVM's own biases travel with the model (the sparse scores keep theirs).
    const bias = ranked.toState().closeCallBias;
    expect(bias).to.be.a('string');
    expect(Buffer.from(bias!, 'base64').length).to.equal(4 * ranked.labels.length);
    expect([...new Float32Array(Uint8Array.from(Buffer.from(bias!, 'base64')).buffer)].some((b) => b !== 0)).to.equal(true);
  });
});

describe('nlu feature config by corpus size', function () {
  this.timeout(60000);

  it('segments Chinese with jieba for small corpora only (big ones learn words from character n-grams, faster)', () => {
    const text = '我想查一下信用卡的账单明细';
    expect(featureHashes(text, LARGE_CORPUS_FEATURE_CONFIG).length).to.be.below(featureHashes(text, DEFAULT_FEATURE_CONFIG).length);
    const small = IntentClassifier.train(CORPUS, { seed: 3 });
    expect(small.toState().vectorizer.config.segment).to.not.equal(false);
    const intents = ['账单', '转账', '余额', '挂失', '开户'];
    const big = Array.from({ length: 1500 }, (_, i) => ({ text: `${intents[i % 5]}问题${i}号`, intent: `i${i % 5}` }));
    const model = IntentClassifier.train(big, { seed: 3 });
    expect(model.toState().vectorizer.config.segment).to.equal(false);
    expect(model.predict('我的账单问题').topIntent).to.equal('i0');
  });
});
