import type { SparseMatrix } from './vectorizer.js';
import type { SparseVector } from './features.js';
import { SimdScorer } from './simd-scorer.js';
import { OneVsRestSolver } from './svm-solver.js';
import type { ClassWeights, SolverOptions } from './svm-solver.js';
import { trainClassesInParallel, workersFor } from './svm-threads.js';

export interface SvmOptions extends SolverOptions {
  /**
   * Worker threads to train classes on besides the calling thread (default: one per spare
   * core for problems big enough to gain from it). The model does not depend on it.
   */
  workers?: number;
  onClassDone?: (done: number, total: number) => void;
}

/**
 * One-vs-rest linear SVM with squared hinge loss (see OneVsRestSolver), classes trained on
 * worker threads as well when the problem is big enough. Weights are kept sparse and
 * feature-major.
 */
export class LinearSvm {
  readonly classes: number;
  readonly dimension: number;
  readonly bias: Float32Array;
  /** CSR over features: weights of feature j are `w[ptr[j]..ptr[j+1]]` for classes `cls[…]`. */
  readonly ptr: Int32Array;
  readonly cls: Uint16Array;
  readonly w: Float32Array;
  private simd: SimdScorer | null = null;

  constructor(classes: number, dimension: number, bias: Float32Array, ptr: Int32Array, cls: Uint16Array, w: Float32Array) {
    this.classes = classes;
    this.dimension = dimension;
    this.bias = bias;
    this.ptr = ptr;
    this.cls = cls;
    this.w = w;
  }

  static train(x: SparseMatrix, labels: Int32Array, classes: number, dimension: number, options: SvmOptions): LinearSvm {
    const { workers, onClassDone, ...solverOptions } = options;
    const workerCount = workers ?? workersFor(x.rows, classes);
    let perClass: ClassWeights[];
    if (workerCount > 0) {
      perClass = trainClassesInParallel(x, labels, classes, dimension, solverOptions, { workers: workerCount, ...(onClassDone ? { onClassDone } : {}) }).weights;
    } else {
      const solver = new OneVsRestSolver(x, labels, dimension, solverOptions);
      perClass = [];
      for (let k = 0; k < classes; k++) {
        perClass.push(solver.train(k));
        onClassDone?.(k + 1, classes);
      }
    }
    return LinearSvm.fromClassWeights(perClass, dimension);
  }

  /** Any linear model given as per-class weights (the SVM's, or softmax regression's), in the scoring layout. */
  static fromClassWeights(perClass: readonly ClassWeights[], dimension: number): LinearSvm {
    const classes = perClass.length;
    const bias = Float32Array.from(perClass, (pc) => pc.bias);
    // Feature-major sparse layout: scoring a text touches only the (feature, class) pairs
    // with a weight; most features matter to a handful of intents.
    const ptr = new Int32Array(dimension + 1);
    for (const pc of perClass) for (const j of pc.cols) ptr[j + 1] = ptr[j + 1]! + 1;
    for (let j = 0; j < dimension; j++) ptr[j + 1] = ptr[j + 1]! + ptr[j]!;
    const fill = ptr.slice(0, dimension);
    const cls = new Uint16Array(ptr[dimension]!);
    const wts = new Float32Array(ptr[dimension]!);
    perClass.forEach((pc, k) => {
      for (let q = 0; q < pc.cols.length; q++) {
        const j = pc.cols[q]!;
        const at = fill[j]!;
        fill[j] = at + 1;
        cls[at] = k;
        wts[at] = pc.w[q]!;
      }
    });
    return new LinearSvm(classes, dimension, bias, ptr, cls, wts);
  }

  /**
   * Switches scoring to a dense copy of the weights in WebAssembly SIMD (several times
   * faster; costs dimension × classes × 4 bytes). For models that serve predictions.
   */
  enableSimd(): this {
    if (this.simd === null) this.simd = SimdScorer.create(this.classes, this.dimension, this.ptr, this.cls, this.w);
    return this;
  }

  /**
   * Raw decision values for a sparse row given as parallel arrays of entries `from`..`m`-1;
   * without the biases when `withBias` is false (the part of a row's score its tail gives).
   */
  scoresInto(ids: Int32Array, vals: Float32Array, m: number, out: Float64Array, from = 0, withBias = true): Float64Array {
    if (this.simd !== null) return this.simd.scoresInto(withBias ? this.bias : null, ids, vals, m, out, from);
    const { bias, ptr, cls, w } = this;
    for (let c = 0; c < this.classes; c++) out[c] = withBias ? bias[c]! : 0;
    for (let p = from; p < m; p++) {
      const j = ids[p]!;
      const v = vals[p]!;
      const end = ptr[j + 1]!;
      for (let q = ptr[j]!; q < end; q++) {
        const k = cls[q]!;
        out[k] = out[k]! + w[q]! * v;
      }
    }
    return out;
  }

  /** Raw decision values, one per class. */
  scores(x: SparseVector, out: Float64Array = new Float64Array(this.classes)): Float64Array {
    return this.scoresInto(x.idx, x.val, x.idx.length, out);
  }
}
