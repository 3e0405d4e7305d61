import { extractFeatureStrings } from './features.js';
import type { FeatureConfig, SparseVector } from './features.js';

/** A batch of sparse rows in CSR layout. */
export interface SparseMatrix {
  rows: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export interface VectorizerState {
  config: FeatureConfig;
  vocabulary: string[];
  idf: number[];
}

/**
 * TF-IDF over the feature strings of `features.ts`: sublinear term frequency, smoothed
 * IDF, L2-normalised rows. The vocabulary is fixed at training time; unseen features are
 * ignored at prediction time.
 */
export class TfidfVectorizer {
  readonly config: FeatureConfig;
  private readonly ids: Map<string, number>;
  private readonly vocabulary: string[];
  private readonly idf: Float32Array;

  private constructor(config: FeatureConfig, vocabulary: string[], idf: Float32Array) {
    this.config = config;
    this.vocabulary = vocabulary;
    this.idf = idf;
    this.ids = new Map(vocabulary.map((f, i) => [f, i]));
  }

  get dimension(): number {
    return this.vocabulary.length;
  }

  /** Builds the vocabulary from pre-extracted feature strings of the training texts. */
  static fit(featureLists: readonly (readonly string[])[], config: FeatureConfig, minDf = 1): TfidfVectorizer {
    const df = new Map<string, number>();
    for (const feats of featureLists) {
      for (const f of new Set(feats)) df.set(f, (df.get(f) ?? 0) + 1);
    }
    const vocabulary = [...df.entries()].filter(([, c]) => c >= minDf).map(([f]) => f).sort();
    const n = featureLists.length;
    const idf = new Float32Array(vocabulary.length);
    vocabulary.forEach((f, i) => {
      idf[i] = Math.log((1 + n) / (1 + (df.get(f) ?? 0))) + 1;
    });
    return new TfidfVectorizer(config, vocabulary, idf);
  }

  static fromState(state: VectorizerState): TfidfVectorizer {
    return new TfidfVectorizer(state.config, state.vocabulary, Float32Array.from(state.idf));
  }

  toState(): VectorizerState {
    return { config: this.config, vocabulary: this.vocabulary, idf: Array.from(this.idf, (v) => Math.round(v * 1e5) / 1e5) };
  }

  featuresOf(text: string): string[] {
    return extractFeatureStrings(text, this.config);
  }

  /** Vectorizes pre-extracted feature strings. */
  transformFeatures(feats: readonly string[]): SparseVector {
    const counts = new Map<number, number>();
    for (const f of feats) {
      const id = this.ids.get(f);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const idx = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const val = new Float32Array(idx.length);
    let norm = 0;
    for (let i = 0; i < idx.length; i++) {
      const id = idx[i]!;
      const v = (1 + Math.log(counts.get(id)!)) * this.idf[id]!;
      val[i] = v;
      norm += v * v;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let i = 0; i < val.length; i++) val[i] = val[i]! * inv;
    }
    return { idx, val };
  }

  transform(text: string): SparseVector {
    return this.transformFeatures(this.featuresOf(text));
  }

  static toMatrix(rows: readonly SparseVector[]): SparseMatrix {
    const indptr = new Int32Array(rows.length + 1);
    let nnz = 0;
    rows.forEach((r, i) => {
      nnz += r.idx.length;
      indptr[i + 1] = nnz;
    });
    const indices = new Int32Array(nnz);
    const values = new Float32Array(nnz);
    rows.forEach((r, i) => {
      indices.set(r.idx, indptr[i]!);
      values.set(r.val, indptr[i]!);
    });
    return { rows: rows.length, indptr, indices, values };
  }
}
