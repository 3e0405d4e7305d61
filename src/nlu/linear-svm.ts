import type { SparseMatrix } from './vectorizer.js';
import type { SparseVector } from './features.js';

export interface SvmOptions {
  /** Regularisation constant C. */
  c: number;
  /** Stopping tolerance on the projected gradient (liblinear's default is 0.1). */
  eps?: number;
  maxIter?: number;
  seed?: number;
  onClassDone?: (done: number, total: number) => void;
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
 * One-vs-rest linear SVM with squared hinge loss, trained by dual coordinate descent with
 * shrinking (Hsieh et al. 2008, the liblinear `-s 1` solver). Weights are stored
 * feature-major (`weights[feature * classes + k]`) so scoring a sparse row touches
 * contiguous memory; the bias is the last "feature".
 */
export class LinearSvm {
  readonly classes: number;
  readonly dimension: number;
  readonly weights: Float32Array;

  constructor(classes: number, dimension: number, weights: Float32Array) {
    this.classes = classes;
    this.dimension = dimension;
    this.weights = weights;
  }

  static train(x: SparseMatrix, labels: Int32Array, classes: number, dimension: number, options: SvmOptions): LinearSvm {
    const n = x.rows;
    const d1 = dimension + 1;
    const weights = new Float32Array(d1 * classes);
    const eps = options.eps ?? 0.1;
    const maxIter = options.maxIter ?? 100;
    const diag = 0.5 / options.c;
    const qd = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 1; // bias feature
      for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++) s += x.values[p]! * x.values[p]!;
      qd[i] = s + diag;
    }
    const w = new Float64Array(d1);
    const alpha = new Float64Array(n);
    const index = new Int32Array(n);
    const y = new Int8Array(n);
    const rng = makeRng(options.seed ?? 1);
    const { indptr, indices, values } = x;
    for (let k = 0; k < classes; k++) {
      w.fill(0);
      alpha.fill(0);
      for (let i = 0; i < n; i++) {
        index[i] = i;
        y[i] = labels[i] === k ? 1 : -1;
      }
      let active = n;
      let pgMaxOld = Infinity;
      let pgMinOld = -Infinity;
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
          pgMinOld = -Infinity;
          continue;
        }
        pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
        pgMinOld = pgMin >= 0 ? -Infinity : pgMin;
      }
      void pgMinOld;
      for (let j = 0; j < d1; j++) weights[j * classes + k] = w[j]!;
      options.onClassDone?.(k + 1, classes);
    }
    return new LinearSvm(classes, dimension, weights);
  }

  /** Raw decision values, one per class. */
  scores(x: SparseVector, out: Float64Array = new Float64Array(this.classes)): Float64Array {
    const k = this.classes;
    const wts = this.weights;
    const biasBase = this.dimension * k;
    for (let c = 0; c < k; c++) out[c] = wts[biasBase + c]!;
    for (let p = 0; p < x.idx.length; p++) {
      const base = x.idx[p]! * k;
      const v = x.val[p]!;
      for (let c = 0; c < k; c++) out[c] = out[c]! + wts[base + c]! * v;
    }
    return out;
  }
}
