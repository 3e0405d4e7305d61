import type { SparseMatrix } from './vectorizer.js';

/** What the solver needs to know; plain data, so it can be sent to a worker thread. */
export interface SolverOptions {
  /** Regularisation constant C. */
  c: number;
  /** Stopping tolerance on the projected gradient (liblinear's default is 0.1). */
  eps?: number;
  maxIter?: number;
  seed?: number;
  /** Weights with |w| at or below this are dropped from the model (default 0). */
  prune?: number;
}

/** One class's trained weights: the bias and the surviving (feature, weight) pairs. */
export interface ClassWeights {
  bias: number;
  cols: Int32Array;
  w: Float32Array;
}

/** Deterministic PRNG (mulberry32), so training is reproducible. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Binary squared-hinge SVM for one class against the rest, by dual coordinate descent with
 * shrinking (Hsieh et al. 2008, the liblinear `-s 1` solver), the bias being a constant
 * extra feature. Each class draws its visiting order from its own seeded generator, so a
 * class's weights do not depend on which thread trains it or in what order.
 */
export class OneVsRestSolver {
  private readonly x: SparseMatrix;
  private readonly labels: Int32Array;
  private readonly dimension: number;
  private readonly options: SolverOptions;
  private readonly qd: Float64Array;
  private readonly w: Float64Array;
  private readonly alpha: Float64Array;
  private readonly index: Int32Array;
  private readonly y: Int8Array;

  constructor(x: SparseMatrix, labels: Int32Array, dimension: number, options: SolverOptions) {
    this.x = x;
    this.labels = labels;
    this.dimension = dimension;
    this.options = options;
    const n = x.rows;
    const diag = 0.5 / options.c;
    this.qd = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 1; // bias feature
      for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++) s += x.values[p]! * x.values[p]!;
      this.qd[i] = s + diag;
    }
    this.w = new Float64Array(dimension + 1);
    this.alpha = new Float64Array(n);
    this.index = new Int32Array(n);
    this.y = new Int8Array(n);
  }

  train(k: number): ClassWeights {
    const { x, labels, dimension, qd, w, alpha, index, y } = this;
    const n = x.rows;
    const eps = this.options.eps ?? 0.1;
    const maxIter = this.options.maxIter ?? 100;
    const prune = this.options.prune ?? 0;
    const diag = 0.5 / this.options.c;
    const rng = makeRng((this.options.seed ?? 1) ^ Math.imul(k + 1, 0x9e3779b1));
    const { indptr, indices, values } = x;
    w.fill(0);
    alpha.fill(0);
    for (let i = 0; i < n; i++) {
      index[i] = i;
      y[i] = labels[i] === k ? 1 : -1;
    }
    let active = n;
    let pgMaxOld = Infinity;
    for (let iter = 0; iter < maxIter; iter++) {
      let pgMax = -Infinity;
      let pgMin = Infinity;
      for (let s = 0; s < active; s++) {
        const j = s + Math.floor(rng() * (active - s));
        const tmp = index[s]!;
        index[s] = index[j]!;
        index[j] = tmp;
      }
      for (let s = 0; s < active; s++) {
        const i = index[s]!;
        const yi = y[i]!;
        const start = indptr[i]!;
        const end = indptr[i + 1]!;
        let dot = w[dimension]!;
        for (let p = start; p < end; p++) dot += w[indices[p]!]! * values[p]!;
        const ai = alpha[i]!;
        const g = yi * dot - 1 + ai * diag;
        let pg = 0;
        if (ai === 0) {
          if (g > pgMaxOld) {
            active--;
            index[s] = index[active]!;
            index[active] = i;
            s--;
            continue;
          }
          if (g < 0) pg = g;
        } else {
          pg = g;
        }
        if (pg > pgMax) pgMax = pg;
        if (pg < pgMin) pgMin = pg;
        if (Math.abs(pg) > 1e-12) {
          const na = Math.max(ai - g / qd[i]!, 0);
          alpha[i] = na;
          const delta = (na - ai) * yi;
          for (let p = start; p < end; p++) w[indices[p]!] = w[indices[p]!]! + delta * values[p]!;
          w[dimension] = w[dimension]! + delta;
        }
      }
      if (pgMax - pgMin <= eps) {
        if (active === n) break;
        active = n;
        pgMaxOld = Infinity;
        continue;
      }
      pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
    }
    const cols: number[] = [];
    const vs: number[] = [];
    for (let j = 0; j < dimension; j++) {
      const v = w[j]!;
      if (v > prune || v < -prune) {
        cols.push(j);
        vs.push(v);
      }
    }
    return { bias: w[dimension]!, cols: Int32Array.from(cols), w: Float32Array.from(vs) };
  }
}
