import { ContentError } from '../errors.js';
import { denseDimensions, featureHashes } from './features.js';
import type { FeatureConfig, SparseVector, TextFeatures } from './features.js';

/** A batch of sparse rows in CSR layout. */
export interface SparseMatrix {
  rows: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export interface VectorizerState {
  config: FeatureConfig;
  /** Int32 feature hashes, one per column, base64. */
  hashes: string;
  /** Float32 IDF weights, one per column, base64. */
  idf: string;
}

export function toBase64(a: Int32Array | Float32Array | Uint16Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function fromBase64<T extends Int32Array | Float32Array | Uint16Array>(s: string, make: (b: ArrayBuffer) => T): T {
  const buf = Buffer.from(s, 'base64');
  return make(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
}

/**
 * TF-IDF over the hashed features of `features.ts`: sublinear term frequency, smoothed
 * IDF, L2-normalised rows. The vocabulary (feature hash → column) is fixed at training
 * time and kept in an open-addressing table of typed arrays; unseen features are ignored.
 * With word vectors in the config, the text's averaged word vector follows the sparse
 * columns, scaled to length `config.wordVectors`.
 */
export class TfidfVectorizer {
  readonly config: FeatureConfig;
  private readonly hashes: Int32Array;
  private readonly idf: Float32Array;
  private readonly table: Int32Array;
  private readonly mask: number;
  /** IDF given to unseen features when normalising: that of a feature seen once. */
  private readonly unseenIdf: number;
  // Scratch space for one transform (transforms are synchronous, never re-entrant).
  private readonly stamp: Uint32Array;
  private readonly counts: Float32Array;
  private generation = 0;
  private readonly scratchFeatures: number[] = [];
  private scratchIds = new Int32Array(256);
  private scratchVals = new Float32Array(256);
  /** Columns of the averaged word vector, after the sparse ones (0 without word vectors). */
  private readonly denseDims: number;
  private readonly scratchDense: Float32Array | null;
  private lastDenseEntries = 0;

  private constructor(config: FeatureConfig, hashes: Int32Array, idf: Float32Array) {
    this.config = config;
    this.hashes = hashes;
    this.idf = idf;
    let size = 16;
    while (size < hashes.length * 2) size *= 2;
    this.mask = size - 1;
    this.table = new Int32Array(size * 2);
    for (let col = 0; col < hashes.length; col++) {
      const h = hashes[col]!;
      let slot = h & this.mask;
      while (this.table[slot * 2 + 1] !== 0) slot = (slot + 1) & this.mask;
      this.table[slot * 2] = h;
      this.table[slot * 2 + 1] = col + 1;
    }
    let maxIdf = 1;
    for (const v of idf) if (v > maxIdf) maxIdf = v;
    this.unseenIdf = maxIdf;
    this.stamp = new Uint32Array(hashes.length);
    this.counts = new Float32Array(hashes.length);
    this.denseDims = denseDimensions(config);
    this.scratchDense = this.denseDims > 0 ? new Float32Array(this.denseDims) : null;
  }

  get dimension(): number {
    return this.hashes.length + this.denseDims;
  }

  /** Columns of the sparse features; the averaged word vector's (if any) follow them. */
  get sparseDimension(): number {
    return this.hashes.length;
  }

  /** Column of a feature hash, or -1. */
  column(h: number): number {
    const table = this.table;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const col = table[slot * 2 + 1]!;
      if (col === 0) return -1;
      if (table[slot * 2] === h) return col - 1;
      slot = (slot + 1) & mask;
    }
  }

  /** Builds the vocabulary from the feature hashes of the training texts. */
  static fit(featureLists: readonly (readonly number[] | TextFeatures)[], config: FeatureConfig, minDf = 1): TfidfVectorizer {
    const df = new Map<number, number>();
    const seen = new Set<number>();
    for (const item of featureLists) {
      const feats = Array.isArray(item) ? item : (item as TextFeatures).hashes;
      seen.clear();
      for (const f of feats) {
        if (seen.has(f)) continue;
        seen.add(f);
        df.set(f, (df.get(f) ?? 0) + 1);
      }
    }
    const n = featureLists.length;
    const hashes: number[] = [];
    const idf: number[] = [];
    for (const [h, c] of df) {
      if (c < minDf) continue;
      hashes.push(h);
      idf.push(Math.log((1 + n) / (1 + c)) + 1);
    }
    return new TfidfVectorizer(config, Int32Array.from(hashes), Float32Array.from(idf));
  }

  static fromState(state: VectorizerState): TfidfVectorizer {
    const hashes = fromBase64(state.hashes, (b) => new Int32Array(b));
    const idf = fromBase64(state.idf, (b) => new Float32Array(b));
    if (hashes.length !== idf.length) throw new ContentError('corrupt intent model: vocabulary and IDF sizes differ');
    return new TfidfVectorizer(state.config, hashes, idf);
  }

  toState(): VectorizerState {
    return { config: this.config, hashes: toBase64(this.hashes), idf: toBase64(this.idf) };
  }

  featuresOf(text: string): TextFeatures {
    const dense = this.denseDims > 0 ? new Float32Array(this.denseDims) : null;
    return { hashes: featureHashes(text, this.config, [], dense), dense };
  }

  /**
   * Vectorizes feature hashes into the shared scratch buffers; returns the number of
   * non-zero entries, readable from `ids`/`vals` until the next call.
   */
  transformInto(feats: readonly number[], dense: Float32Array | null = null): number {
    let gen = ++this.generation;
    if (gen === 0xffffffff) {
      this.stamp.fill(0);
      this.generation = gen = 1;
    }
    const stamp = this.stamp;
    const counts = this.counts;
    if (this.scratchIds.length < feats.length + this.denseDims) {
      this.scratchIds = new Int32Array((feats.length + this.denseDims) * 2);
      this.scratchVals = new Float32Array((feats.length + this.denseDims) * 2);
    }
    const ids = this.scratchIds;
    const vals = this.scratchVals;
    let m = 0;
    let unseen = 0;
    // Concepts and dictionary lemmas come as runs of one repeated hash (their term frequency):
    // a repeat reuses the previous column instead of probing the table again.
    let lastHash = 0;
    let col = -1;
    for (let i = 0; i < feats.length; i++) {
      const h = feats[i]!;
      if (i === 0 || h !== lastHash) {
        col = this.column(h);
        lastHash = h;
      }
      if (col < 0) {
        unseen++;
        continue;
      }
      if (stamp[col] !== gen) {
        stamp[col] = gen;
        counts[col] = 1;
        ids[m++] = col;
      } else {
        counts[col] = counts[col]! + 1;
      }
    }
    const idf = this.idf;
    // Features never seen in training carry no weight, but they are part of the message: they
    // count in its length (as the rarest known feature would), so a message that is mostly
    // unknown words scores low everywhere instead of being judged on its few familiar words.
    let norm = unseen * this.unseenIdf * this.unseenIdf;
    for (let i = 0; i < m; i++) {
      const col = ids[i]!;
      const c = counts[col]!;
      const v = (c === 1 ? 1 : 1 + Math.log(c)) * idf[col]!;
      vals[i] = v;
      norm += v * v;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let i = 0; i < m; i++) vals[i] = vals[i]! * inv;
    }
    this.lastDenseEntries = 0;
    if (dense !== null && this.denseDims > 0) {
      let dn = 0;
      for (let d = 0; d < this.denseDims; d++) dn += dense[d]! * dense[d]!;
      if (dn > 0) {
        const k = (this.config.wordVectors ?? 0) / Math.sqrt(dn);
        const base = this.hashes.length;
        for (let d = 0; d < this.denseDims; d++) {
          ids[m] = base + d;
          vals[m++] = dense[d]! * k;
        }
        this.lastDenseEntries = this.denseDims;
      }
    }
    return m;
  }

  /** How many of the last transform's entries are the averaged word vector's (its last ones): 0 when it had none. */
  get denseEntries(): number {
    return this.lastDenseEntries;
  }

  get ids(): Int32Array {
    return this.scratchIds;
  }

  get vals(): Float32Array {
    return this.scratchVals;
  }

  /** Vectorizes pre-extracted feature hashes into a fresh sparse vector. */
  transformFeatures(feats: readonly number[] | TextFeatures): SparseVector {
    const m = Array.isArray(feats) ? this.transformInto(feats) : this.transformInto((feats as TextFeatures).hashes, (feats as TextFeatures).dense);
    return { idx: this.scratchIds.slice(0, m), val: this.scratchVals.slice(0, m) };
  }

  transform(text: string): SparseVector {
    return this.transformFeatures(this.featuresOf(text));
  }

  /**
   * Vectorizes a text into the scratch buffers (see `transformInto`); without the averaged word
   * vector when `withWordVectors` is false (its lookups are most of a short text's cost).
   */
  transformTextInto(text: string, withWordVectors = true): number {
    const feats = this.scratchFeatures;
    feats.length = 0;
    const dense = withWordVectors ? this.scratchDense : null;
    featureHashes(text, this.config, feats, dense);
    return this.transformInto(feats, dense);
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
