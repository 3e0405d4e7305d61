import type { SparseMatrix } from './vectorizer.js';
import type { SparseVector } from './features.js';
import { SimdScorer } from './simd-scorer.js';

export interface SvmOptions {
  /** Regularisation constant C. */
  c: number;
  /** Stopping tolerance on the projected gradient (liblinear's default is 0.1). */
  eps?: number;
  maxIter?: number;
  seed?: number;
  /** Weights with |w| at or below this are dropped from the model (default 0). */
  prune?: number;
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
 * shrinking (Hsieh et al. 2008, the liblinear `-s 1` solver), the bias being a
 * constant extra feature. Weights are kept sparse and feature-major.
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
    const n = x.rows;
    const d1 = dimension + 1;
    const perClass: { cols: Int32Array; w: Float32Array }[] = [];
    const bias = new Float32Array(classes);
    const eps = options.eps ?? 0.1;
    const maxIter = options.maxIter ?? 100;
    const prune = options.prune ?? 0;
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
      bias[k] = w[dimension]!;
      const cols: number[] = [];
      const vs: number[] = [];
      for (let j = 0; j < dimension; j++) {
        const v = w[j]!;
        if (v > prune || v < -prune) {
          cols.push(j);
          vs.push(v);
        }
      }
      perClass.push({ cols: Int32Array.from(cols), w: Float32Array.from(vs) });
      options.onClassDone?.(k + 1, classes);
    }
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

  /** Raw decision values for a sparse row given as parallel arrays of `m` entries. */
  scoresInto(ids: Int32Array, vals: Float32Array, m: number, out: Float64Array): Float64Array {
    if (this.simd !== null) return this.simd.scoresInto(this.bias, ids, vals, m, out);
    const { bias, ptr, cls, w } = this;
    for (let c = 0; c < this.classes; c++) out[c] = bias[c]!;
    for (let p = 0; p < m; p++) {
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
