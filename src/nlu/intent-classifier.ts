import { ContentError } from '../errors.js';
import { DEFAULT_FEATURE_CONFIG, extractFeatures, featureHashes, LARGE_CORPUS_FEATURE_CONFIG } from './features.js';
import type { FeatureConfig, SparseVector, TextFeatures } from './features.js';
import { LinearSvm } from './linear-svm.js';
import { trainSoftmaxRegression } from './softmax-regression.js';
import { makeRng } from './svm-solver.js';
import type { IntentPrediction, TrainingExample, TrainOptions } from './types.js';
import { fromBase64, TfidfVectorizer, toBase64 } from './vectorizer.js';
import type { SparseMatrix, VectorizerState } from './vectorizer.js';

export interface IntentModelState {
  format: 'carebot-intent-svm';
  version: 3;
  /** One-vs-rest SVM, or softmax regression (small corpora), whose scores are centred before calibration. */
  model: 'svm' | 'softmax';
  labels: string[];
  vectorizer: VectorizerState;
  /** Sparse feature-major weights (see LinearSvm), base64 typed arrays. */
  weights: { bias: string; ptr: string; cls: string; w: string };
  temperature: number;
  /**
   * Per-intent bias of the word-vector term that breaks close calls (see `withCloseCallTerm`),
   * base64 Float32; absent when the model has no such term.
   */
  closeCallBias?: string;
  oosThreshold: number;
  ambiguityMargin: number;
  c: number;
}

export interface PredictOptions {
  oosThreshold?: number;
  ambiguityMargin?: number;
  /** How many alternatives to return (default 3). */
  alternatives?: number;
}

/**
 * Internal training constants (exported for experiments; not part of the public API).
 * Corpora under `softmaxMaxExamples` get the averaged word vector (`wordVectors`: its length
 * next to the unit-length sparse features) as a term that only orders close calls (see
 * `withCloseCallTerm`, `orderCloseCall`): a nearest-prototype term of weight `prototypes` plus
 * `denseSvm` × an SVM on the vector alone. `softmax` (softmax regression) is built and off.
 * Few-shot dev files (BANKING77 / MASSIVE multilingual / MASSIVE zh-CN, in-scope accuracy):
 * 72.7 / 51.7 / 59.4 % without the term, 73.9 / 54.3 / 60.1 % with it; prototypes 4 or
 * denseSvm 1 moved them by ±0.4 at most.
 * - A learned dense block (SVM or softmax regression over sparse + dense) gave up to +3 points
 *   of top-1 on the dev files but made the demo packs answer "给我讲个笑话", "qwxz zzkj" and
 *   "the purple elephant sings at midnight" (word vectors make every text a little similar to
 *   some intent); as the sparse part of one joint model, rejection lost 2–6 points instead.
 *   Softmax regression trains a 770-example corpus in ~50 s instead of ~8 s.
 * - Letting the term rank every intent (a softmax over sparse + term) gave the same accuracy
 *   (all of its gain is in close calls: gated to them it loses nothing) but sharpened the
 *   demo packs' confidences: "how much is the transfer fee" was answered with the transfer
 *   limits instead of asking, "someone is hurt" lost its emergency candidate.
 * - Not kept: all-but-the-top on the word vectors (mean and 2 principal components removed:
 *   −1.9 / −2.8 / −3.9 top-1), dropping one word per example as augmentation (−0.8 / −1.8 / −2.2).
 * Small corpora (under 1,500 examples) get 8 calibration rounds and may reject at least 8
 * held-out correct answers: with 4 rounds and 3, the threshold of the demo packs moved
 * threefold between random seeds, being the third-lowest of ~400 confidences.
 */
export const TUNING = { wordVectors: 1, softmax: false, softmaxC: 10, softmaxMaxExamples: 1500, softmaxMaxWeights: 4_000_000, softmaxIter: 100, softmaxCalibrationIter: 40, softmaxTol: 1e-3, smallCorpusRounds: 8, prune: 0.01, maxFalseRejection: 0.005, minRejectedCorrect: 8, maxSmallCorpusRejection: 0.02, nullClass: true, prototypes: 2, denseSvm: 0.5, denseSvmC: 1 };

// C = 2 was better than 0.5, 1 and 4 on the same validation splits, by 0.2–0.5 points.
const DEFAULT_C = 2;
const DEFAULT_MARGIN = 0.1;
const DEFAULT_THRESHOLD = 0.3;


interface HeldOut {
  /** Sparse scores of held-out examples of known intents (what out-of-scope rejection reads). */
  scores: Float64Array[];
  labels: number[];
  /** Scores of examples whose intent was withheld from training: stand-ins for out-of-scope. */
  pseudoOos: Float64Array[];
}

/**
 * Intent classifier: TF-IDF features (Latin word + character n-grams, Han character
 * n-grams over the normalized text) and a one-vs-rest linear SVM. Decision values are
 * turned into probabilities by a softmax with a "none" logit, whose temperature is fitted on
 * held-out data (known intents to their label, withheld intents to "none"), and
 * the out-of-scope threshold is chosen on the same held-out runs, where some intents are
 * withheld from training entirely so their examples play the role of unknown requests.
 */
export class IntentClassifier {
  readonly labels: readonly string[];
  readonly oosThreshold: number;
  readonly ambiguityMargin: number;
  readonly temperature: number;
  /** Whether a word-vector term orders the intents of a close call (see `withCloseCallTerm`). */
  readonly breaksCloseCalls: boolean;
  readonly model: 'svm' | 'softmax';
  private readonly vectorizer: TfidfVectorizer;
  private readonly svm: LinearSvm;
  private readonly c: number;
  private readonly scratch: Float64Array;
  private readonly scratchRank: Float64Array;
  private readonly scratchDense: Float64Array;
  private readonly closeCallBias: Float32Array | null;
  /** Entries of the vectorizer's last transform (its scratch arrays stay valid until the next). */

  private constructor(args: {
    labels: string[];
    vectorizer: TfidfVectorizer;
    svm: LinearSvm;
    temperature: number;
    closeCallBias: Float32Array | null;
    oosThreshold: number;
    ambiguityMargin: number;
    c: number;
    model: 'svm' | 'softmax';
  }) {
    this.labels = args.labels;
    this.model = args.model;
    this.vectorizer = args.vectorizer;
    this.svm = args.svm.enableSimd();
    this.temperature = args.temperature;
    this.closeCallBias = args.closeCallBias;
    this.breaksCloseCalls = args.closeCallBias !== null;
    this.oosThreshold = args.oosThreshold;
    this.ambiguityMargin = args.ambiguityMargin;
    this.c = args.c;
    this.scratch = new Float64Array(args.labels.length);
    this.scratchRank = new Float64Array(args.labels.length);
    this.scratchDense = new Float64Array(args.labels.length);
  }

  static train(examples: readonly TrainingExample[], options: TrainOptions = {}): IntentClassifier {
    const clean = examples.filter((e) => e.text.trim() !== '' && e.intent.trim() !== '');
    const labels = [...new Set(clean.map((e) => e.intent))].sort();
    if (labels.length < 2) {
      throw new ContentError(`training needs at least 2 intents with examples, got ${labels.length}`);
    }
    const c = options.c ?? DEFAULT_C;
    // Small corpora get jieba's words and the averaged word vector's close-call term (softmax
    // regression when TUNING turns it on); big ones have examples enough to learn words from
    // character n-grams and paraphrases from the sparse SVM alone (LARGE_CORPUS_FEATURE_CONFIG).
    const small = clean.length < TUNING.softmaxMaxExamples;
    const useSoftmax = TUNING.softmax && small && sparseDimension(clean, labels.length) * labels.length <= TUNING.softmaxMaxWeights;
    const config: FeatureConfig = !small ? LARGE_CORPUS_FEATURE_CONFIG : TUNING.wordVectors > 0 ? { ...DEFAULT_FEATURE_CONFIG, wordVectors: TUNING.wordVectors } : DEFAULT_FEATURE_CONFIG;
    const labelIds = new Map(labels.map((l, i) => [l, i]));
    const feats = clean.map((e) => extractFeatures(e.text, config));
    const y = Int32Array.from(clean, (e) => labelIds.get(e.intent)!);

    const rounds = clean.length < 1500 ? TUNING.smallCorpusRounds : clean.length < 5000 ? 2 : 1;
    const totalSteps = labels.length * (rounds + 1);
    let stepsDone = 0;
    const report = (k: number): void => options.onProgress?.(stepsDone + k, totalSteps);

    const heldOut: HeldOut = { scores: [], labels: [], pseudoOos: [] };
    const rng = makeRng(options.seed ?? 7);
    for (let r = 0; r < rounds; r++) {
      collectHeldOut(feats, config, y, labels.length, c, useSoftmax, rng, heldOut, (done) => report(done));
      stepsDone += labels.length;
    }
    const temperature = fitTemperature(heldOut);
    const oosThreshold = options.oosThreshold ?? chooseThreshold(heldOut, temperature);

    const vectorizer = TfidfVectorizer.fit(feats, config);
    const usePrototypes = !useSoftmax && TUNING.prototypes > 0 && config.wordVectors !== undefined;
    const x = TfidfVectorizer.toMatrix(feats.map((f) => vectorizer.transformFeatures(usePrototypes ? f.hashes : f)));
    let svm = useSoftmax
      ? trainSoftmax(x, y, labels.length, vectorizer.dimension)
      : LinearSvm.train(x, y, labels.length, vectorizer.dimension, {
          c,
          prune: TUNING.prune,
          seed: options.seed ?? 1,
          onClassDone: (done) => report(done),
        });
    let closeCallBias: Float32Array | null = null;
    if (usePrototypes) ({ svm, closeCallBias } = withCloseCallTerm(svm, vectorizer, feats, y));
    return new IntentClassifier({
      labels,
      vectorizer,
      svm,
      temperature,
      closeCallBias,
      oosThreshold,
      ambiguityMargin: options.ambiguityMargin ?? DEFAULT_MARGIN,
      c,
      model: useSoftmax ? 'softmax' : 'svm',
    });
  }

  /**
   * Class probabilities: the temperature-scaled softmax of the sparse model's decision values
   * with a "none of these" logit. The word-vector columns (when the model has them) take no
   * part here: they only order a close call (`orderCloseCall`).
   */
  private score(text: string, out: Float64Array): void {
    // The word vector is looked up only for the close calls it orders (`orderCloseCall`).
    const m = this.vectorizer.transformTextInto(text, false);
    const scores = this.svm.scoresInto(this.vectorizer.ids, this.vectorizer.vals, m, out);
    if (this.model === 'softmax') centerScores(scores);
    // The raw scores are what a close call is ordered by (`orderCloseCall`): kept, not recomputed.
    if (this.closeCallBias !== null) this.scratchRank.set(scores);
    softmax(scores, this.temperature, out);
  }

  /**
   * A close call (in scope, the leader less than `margin` ahead) is ordered by the sparse scores
   * plus the word-vector term, which tells paraphrases apart that share no word with the
   * examples ("top up" / "add money"): the intents within the margin of the leader swap places,
   * keeping the sparse model's probabilities, so whether the text is in scope, whether the call
   * is close and which intents compete stay the sparse model's calibrated judgement (the
   * demo packs' "did you mean" and out-of-scope answers). `text` is the one `probs` were scored for.
   */
  private orderCloseCall(text: string, probs: Float64Array, floor: number): void {
    const close: number[] = [];
    for (let k = 0; k < probs.length; k++) if (probs[k]! >= floor) close.push(k);
    const m = this.vectorizer.transformTextInto(text);
    const { ids, vals } = this.vectorizer;
    const rank = this.scratchRank;
    const dense = this.svm.scoresInto(ids, vals, m, this.scratchDense, m - this.vectorizer.denseEntries, false);
    for (const k of close) rank[k] = rank[k]! + dense[k]! + this.closeCallBias![k]!;
    const values = close.map((k) => probs[k]!).sort((a, b) => b - a);
    close.sort((a, b) => rank[b]! - rank[a]!);
    close.forEach((k, i) => {
      probs[k] = values[i]!;
    });
  }

  /** Class probabilities (see `score`); they sum to at most 1, the rest being "none of these". */
  probabilities(text: string, out: Float64Array = new Float64Array(this.labels.length)): Float64Array {
    this.score(text, out);
    return out;
  }

  predict(text: string, options: PredictOptions = {}): IntentPrediction {
    // Scratch probabilities: predictions are synchronous, and only numbers leave this call.
    const probs = this.scratch;
    this.score(text, probs);
    const threshold = options.oosThreshold ?? this.oosThreshold;
    const margin = options.ambiguityMargin ?? this.ambiguityMargin;
    let order = topK(probs, Math.max(2, options.alternatives ?? 3));
    const sparseBest = probs[order[0]!]!;
    const outOfScope = sparseBest < threshold;
    const lead = order[1] === undefined ? 1 : sparseBest - probs[order[1]]!;
    const ambiguous = !outOfScope && order[1] !== undefined && lead < margin;
    if (ambiguous && this.breaksCloseCalls) {
      this.orderCloseCall(text, probs, sparseBest - margin);
      order = topK(probs, Math.max(2, options.alternatives ?? 3));
    }
    const best = order[0]!;
    return {
      intent: outOfScope ? null : this.labels[best]!,
      topIntent: this.labels[best]!,
      confidence: round4(probs[best]!),
      ambiguous,
      outOfScope,
      alternatives: order.slice(0, options.alternatives ?? 3).map((k) => ({ intent: this.labels[k]!, confidence: round4(probs[k]!) })),
    };
  }

  toState(): IntentModelState {
    const svm = this.svm;
    return {
      format: 'carebot-intent-svm',
      version: 3,
      model: this.model,
      labels: [...this.labels],
      vectorizer: this.vectorizer.toState(),
      weights: { bias: toBase64(svm.bias), ptr: toBase64(svm.ptr), cls: toBase64(svm.cls), w: toBase64(svm.w) },
      temperature: this.temperature,
      ...(this.closeCallBias !== null ? { closeCallBias: toBase64(this.closeCallBias) } : {}),
      oosThreshold: this.oosThreshold,
      ambiguityMargin: this.ambiguityMargin,
      c: this.c,
    };
  }

  static fromState(state: IntentModelState): IntentClassifier {
    if (state?.format !== 'carebot-intent-svm' || state.version !== 3 || (state.model !== 'svm' && state.model !== 'softmax')) {
      throw new ContentError('not a carebot intent model (unknown format or version)');
    }
    const vectorizer = TfidfVectorizer.fromState(state.vectorizer);
    const bias = fromBase64(state.weights.bias, (b) => new Float32Array(b));
    const ptr = fromBase64(state.weights.ptr, (b) => new Int32Array(b));
    const cls = fromBase64(state.weights.cls, (b) => new Uint16Array(b));
    const w = fromBase64(state.weights.w, (b) => new Float32Array(b));
    const classes = state.labels.length;
    if (bias.length !== classes || ptr.length !== vectorizer.dimension + 1 || cls.length !== w.length || ptr[vectorizer.dimension] !== w.length || cls.some((k) => k >= classes)) {
      throw new ContentError('corrupt intent model: weights do not match vocabulary and labels');
    }
    return new IntentClassifier({
      labels: state.labels,
      vectorizer,
      svm: new LinearSvm(classes, vectorizer.dimension, bias, ptr, cls, w),
      temperature: state.temperature,
      closeCallBias: state.closeCallBias === undefined ? null : fromBase64(state.closeCallBias, (b) => new Float32Array(b)),
      oosThreshold: state.oosThreshold,
      ambiguityMargin: state.ambiguityMargin,
      c: state.c,
      model: state.model,
    });
  }
}

/**
 * One calibration run: withhold ~20% of the intents entirely (pseudo out-of-scope) and 20%
 * of the remaining examples, train on the rest, and record decision values.
 */
function collectHeldOut(
  feats: readonly TextFeatures[],
  config: FeatureConfig,
  y: Int32Array,
  classes: number,
  c: number,
  useSoftmax: boolean,
  rng: () => number,
  out: HeldOut,
  onClassDone: (done: number) => void,
): void {
  const classOrder = shuffle(Array.from({ length: classes }, (_, i) => i), rng);
  const unknownCount = classes >= 4 ? Math.max(1, Math.round(classes * 0.2)) : 0;
  const unknown = new Set(classOrder.slice(0, unknownCount));
  const known = classOrder.slice(unknownCount).sort((a, b) => a - b);
  const remap = new Map(known.map((k, i) => [k, i]));
  const trainIdx: number[] = [];
  const testIdx: number[] = [];
  const oosIdx: number[] = [];
  // Stratified split: every known intent keeps at least one training example.
  const byClass = new Map<number, number[]>();
  y.forEach((label, i) => {
    if (unknown.has(label)) oosIdx.push(i);
    else byClass.set(label, [...(byClass.get(label) ?? []), i]);
  });
  for (const idx of byClass.values()) {
    const s = shuffle(idx, rng);
    const nTest = s.length >= 2 ? Math.max(1, Math.round(s.length * 0.2)) : 0;
    testIdx.push(...s.slice(0, nTest));
    trainIdx.push(...s.slice(nTest));
  }
  const vectorizer = TfidfVectorizer.fit(trainIdx.map((i) => feats[i]!), config);
  const usePrototypes = !useSoftmax && TUNING.prototypes > 0 && config.wordVectors !== undefined;
  const x = TfidfVectorizer.toMatrix(trainIdx.map((i) => vectorizer.transformFeatures(usePrototypes ? feats[i]!.hashes : feats[i]!)));
  const yy = Int32Array.from(trainIdx, (i) => remap.get(y[i]!)!);
  // Calibration only needs the held-out scores' shape: a shorter optimisation does.
  // The close-call term is left out: calibration reads the sparse scores only.
  const svm = useSoftmax ? trainSoftmax(x, yy, known.length, vectorizer.dimension, TUNING.softmaxCalibrationIter) : LinearSvm.train(x, yy, known.length, vectorizer.dimension, { c, eps: 0.3, onClassDone: (d) => onClassDone(d) });
  const score = (f: TextFeatures | number[]): Float64Array => {
    const s = svm.scores(vectorizer.transformFeatures(f));
    return useSoftmax ? centerScores(s) : s;
  };
  for (const i of testIdx) {
    out.scores.push(score(usePrototypes ? feats[i]!.hashes : feats[i]!));
    out.labels.push(remap.get(y[i]!)!);
  }
  for (const i of oosIdx) out.pseudoOos.push(score(usePrototypes ? feats[i]!.hashes : feats[i]!));
  if (useSoftmax) onClassDone(classes);
}

/**
 * The sparse SVM with the close-call term on the dense columns: for each intent,
 * TUNING.prototypes × (its examples' mean direction − the mean of all intents' directions), a
 * nearest-prototype term, plus TUNING.denseSvm × the weights of an SVM on the vector alone
 * (whose biases are returned apart: the sparse scores keep their own). The dense columns are
 * read only to order a close call (`orderCloseCall`).
 */
function withCloseCallTerm(svm: LinearSvm, vectorizer: TfidfVectorizer, feats: readonly TextFeatures[], y: Int32Array): { svm: LinearSvm; closeCallBias: Float32Array } {
  const classes = svm.classes;
  const dims = vectorizer.dimension - vectorizer.sparseDimension;
  const proto = new Float64Array(classes * dims);
  for (const { dense: d, inverseLength: inv, label } of wordVectorBlocks(feats, y, dims)) {
    const base = label * dims;
    for (let k = 0; k < dims; k++) proto[base + k] = proto[base + k]! + d[k]! * inv;
  }
  const mean = new Float64Array(dims);
  for (let c = 0; c < classes; c++) {
    let n = 0;
    for (let k = 0; k < dims; k++) n += proto[c * dims + k]! ** 2;
    const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
    for (let k = 0; k < dims; k++) {
      proto[c * dims + k] = proto[c * dims + k]! * inv;
      mean[k] = mean[k]! + proto[c * dims + k]! / classes;
    }
  }
  // The dense block arrives scaled to length config.wordVectors: divide it out.
  const scale = TUNING.prototypes / (vectorizer.config.wordVectors ?? 1);
  const base = vectorizer.sparseDimension;
  const ptr = new Int32Array(svm.dimension + 1);
  ptr.set(svm.ptr.subarray(0, base + 1));
  const nnz = svm.ptr[base]!;
  const cls = new Uint16Array(nnz + dims * classes);
  const w = new Float32Array(nnz + dims * classes);
  cls.set(svm.cls.subarray(0, nnz));
  w.set(svm.w.subarray(0, nnz));
  const learned = new Float64Array(classes * dims);
  for (let k = 0; k < dims; k++) {
    for (let q = svm.ptr[base + k]!; q < svm.ptr[base + k + 1]!; q++) learned[svm.cls[q]! * dims + k] = svm.w[q]!;
  }
  const dense = TUNING.denseSvm > 0 ? denseOnlySvm(feats, y, classes, dims) : null;
  const denseScale = TUNING.denseSvm / (vectorizer.config.wordVectors ?? 1);
  let at = nnz;
  for (let k = 0; k < dims; k++) {
    for (let c = 0; c < classes; c++) {
      cls[at] = c;
      w[at++] = learned[c * dims + k]! + scale * (proto[c * dims + k]! - mean[k]!) + (dense === null ? 0 : denseScale * dense.w[c * dims + k]!);
    }
    ptr[base + k + 1] = at;
  }
  return { svm: new LinearSvm(classes, svm.dimension, svm.bias, ptr, cls, w), closeCallBias: dense === null ? new Float32Array(classes) : Float32Array.from(dense.bias, (b) => b * TUNING.denseSvm) };
}

/**
 * A one-vs-rest SVM on the unit-length averaged word vector alone, as per-intent weights
 * (intent-major) and biases: unlike the prototype term it learns which directions tell two
 * intents apart.
 */
function denseOnlySvm(feats: readonly TextFeatures[], y: Int32Array, classes: number, dims: number): { w: Float64Array; bias: Float32Array } {
  const rows: SparseVector[] = [];
  const labels: number[] = [];
  const columns = Int32Array.from({ length: dims }, (_, k) => k);
  for (const { dense: d, inverseLength: inv, label } of wordVectorBlocks(feats, y, dims)) {
    rows.push({ idx: columns, val: Float32Array.from(d, (v) => v * inv) });
    labels.push(label);
  }
  const svm = LinearSvm.train(TfidfVectorizer.toMatrix(rows), Int32Array.from(labels), classes, dims, { c: TUNING.denseSvmC, seed: 1 });
  const w = new Float64Array(classes * dims);
  for (let k = 0; k < dims; k++) {
    for (let q = svm.ptr[k]!; q < svm.ptr[k + 1]!; q++) w[svm.cls[q]! * dims + k] = svm.w[q]!;
  }
  return { w, bias: svm.bias };
}

/** The examples' word-vector blocks with their intents and 1 / length (examples without words that have vectors are left out). */
function* wordVectorBlocks(feats: readonly TextFeatures[], y: Int32Array, dims: number): Generator<{ dense: NonNullable<TextFeatures['dense']>; inverseLength: number; label: number }> {
  for (let i = 0; i < feats.length; i++) {
    const d = feats[i]!.dense;
    if (d === null) continue;
    let n = 0;
    for (let k = 0; k < dims; k++) n += d[k]! * d[k]!;
    if (n > 0) yield { dense: d, inverseLength: 1 / Math.sqrt(n), label: y[i]! };
  }
}

/** Upper bound of the number of sparse columns a corpus gives (its distinct feature hashes). */
function sparseDimension(examples: readonly TrainingExample[], classes: number): number {
  const seen = new Set<number>();
  const out: number[] = [];
  for (const e of examples) {
    out.length = 0;
    featureHashes(e.text, DEFAULT_FEATURE_CONFIG, out);
    for (const h of out) seen.add(h);
    // Past the budget already: the exact count no longer matters.
    if (seen.size * classes > TUNING.softmaxMaxWeights) break;
  }
  return seen.size;
}

/** Softmax regression on a small corpus (see softmax-regression.ts) in the scoring layout. */
function trainSoftmax(x: SparseMatrix, y: Int32Array, classes: number, dimension: number, maxIter: number = TUNING.softmaxIter): LinearSvm {
  const perClass = trainSoftmaxRegression(x, y, classes, dimension, { c: TUNING.softmaxC, maxIter, tol: TUNING.softmaxTol, prune: TUNING.prune });
  return LinearSvm.fromClassWeights(perClass, dimension);
}

/**
 * Softmax regression's logits are only defined up to a common shift: centred on their mean,
 * the top one says how far the best intent stands above a typical one, which the "none of
 * these" logit at 0 can then be calibrated against as for the SVM's decision values.
 */
export function centerScores(s: Float64Array): Float64Array {
  let mean = 0;
  for (let i = 0; i < s.length; i++) mean += s[i]!;
  mean /= s.length;
  for (let i = 0; i < s.length; i++) s[i] = s[i]! - mean;
  return s;
}

/** Temperature minimising the negative log-likelihood of held-out labels (1-D search). */
function fitTemperature(h: HeldOut): number {
  if (h.scores.length === 0) return 5;
  let best = 5;
  let bestNll = Infinity;
  for (let a = 0.5; a <= 60; a *= 1.1) {
    let nll = 0;
    h.scores.forEach((s, i) => {
      nll -= Math.log(Math.max(softmax(s, a)[h.labels[i]!]!, 1e-12));
    });
    // Held-out intents should fall to the "none of these" logit.
    if (TUNING.nullClass) {
      for (const s of h.pseudoOos) {
        let sum = 0;
        for (const p of softmax(s, a)) sum += p;
        nll -= Math.log(Math.max(1 - sum, 1e-12));
      }
    }
    if (nll < bestNll) {
      bestNll = nll;
      best = a;
    }
  }
  return best;
}

/**
 * Threshold on the top probability that maximises (in-scope accuracy after rejection) +
 * (pseudo out-of-scope recall), subject to rejecting at most TUNING.maxFalseRejection of the
 * held-out requests the model answered correctly: held-out intents are closer to the known
 * ones than real out-of-scope traffic, so the unconstrained optimum rejects too much.
 */
function chooseThreshold(h: HeldOut, temperature: number): number {
  if (h.pseudoOos.length === 0 || h.scores.length === 0) return DEFAULT_THRESHOLD;
  const inScope = h.scores.map((s, i) => {
    const p = softmax(s, temperature);
    const best = argmax(p);
    return { conf: p[best]!, correct: best === h.labels[i] };
  });
  const oos = h.pseudoOos.map((s) => {
    const p = softmax(s, temperature);
    return p[argmax(p)]!;
  });
  const candidates = [...new Set([...inScope.map((e) => e.conf), ...oos])].sort((a, b) => a - b);
  let bestT = 0;
  let bestScore = -Infinity;
  const correctConf = inScope.filter((e) => e.correct).map((e) => e.conf).sort((a, b) => a - b);
  // A quantile below ~k/n of n held-out answers cannot be estimated (it is just the
  // minimum, one unlucky example): allow rejecting at least k of them.
  const rate = Math.max(
    TUNING.maxFalseRejection,
    Math.min(TUNING.maxSmallCorpusRejection, TUNING.minRejectedCorrect / Math.max(1, correctConf.length)),
  );
  const cap = correctConf[Math.floor(correctConf.length * rate)] ?? DEFAULT_THRESHOLD;
  for (const t of [0, ...candidates.map((v) => v + 1e-9)]) {
    if (t > cap) break;
    const acc = inScope.filter((e) => e.correct && e.conf >= t).length / inScope.length;
    const rec = oos.filter((v) => v < t).length / oos.length;
    const score = acc + rec;
    if (score > bestScore) {
      bestScore = score;
      bestT = t;
    }
  }
  return Math.min(0.9, bestT);
}

/**
 * Temperature-scaled softmax over the decision values plus a fixed "none of these" logit
 * at 0 (the one-vs-rest decision boundary): a text every intent rejects keeps most of the
 * mass on "none", so the top confidence stays low even when its relative lead is large.
 * Intent probabilities therefore sum to at most 1.
 */
export function softmax(scores: Float64Array, temperature: number, out: Float64Array = new Float64Array(scores.length)): Float64Array {
  let max = TUNING.nullClass ? 0 : -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = TUNING.nullClass ? Math.exp(-max * temperature) : 0;
  for (let i = 0; i < scores.length; i++) {
    const e = expNonPositive((scores[i]! - max) * temperature);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / sum;
  return out;
}

const POW2_NEG = Float64Array.from({ length: 1076 }, (_, n) => 2 ** -n);

/**
 * e^x for x ≤ 0 within a relative 1e-6: 2^-n from a table times a degree-7 series for the
 * remaining fraction. Twice as fast as Math.exp, which was a tenth of the time of classifying
 * against 150 intents (one exponential per intent); probabilities are reported to 4 decimals.
 */
export function expNonPositive(x: number): number {
  const t = -x * Math.LOG2E;
  if (!(t < 1075)) return t === t ? 0 : NaN;
  const n = Math.ceil(t);
  const f = (n - t) * Math.LN2; // e^x = 2^-n · e^f, f in [0, ln 2)
  const series = 1 + f * (1 + f * (1 / 2 + f * (1 / 6 + f * (1 / 24 + f * (1 / 120 + f * (1 / 720 + f / 5040))))));
  return series * POW2_NEG[n]!;
}

function argmax(a: Float64Array): number {
  let b = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[b]!) b = i;
  return b;
}

/** Indices of the k largest values, largest first (insertion into a k-slot list). */
function topK(a: Float64Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (best.length === k && v <= a[best[k - 1]!]!) continue;
    let at = best.length < k ? best.length : k - 1;
    while (at > 0 && a[best[at - 1]!]! < v) {
      if (at < k) best[at] = best[at - 1]!;
      at--;
    }
    best[at] = i;
  }
  return best;
}

function shuffle<T>(items: T[], rng: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function round4(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
