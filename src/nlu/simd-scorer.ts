/**
 * Dense linear scoring in WebAssembly SIMD: out[k] += Σ_p W[ids[p]][k] · vals[p], four
 * classes per f32x4 lane. The module is assembled here from its opcodes (about 150 bytes)
 * so no build step or extra dependency is needed; when the runtime lacks SIMD, callers
 * fall back to the JavaScript sparse scorer.
 */

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

const I32 = 0x7f;
const V128 = 0x7b;
// Locals: params w=0 k4=1 ids=2 vals=3 m=4 out=5; p=6 base=7 c=8 o=9 (i32), v=10 (v128).
const get = (i: number): number[] => [0x20, i];
const set = (i: number): number[] => [0x21, i];
const i32c = (v: number): number[] => [0x41, v];
const addConst = (i: number, v: number): number[] => [...get(i), ...i32c(v), 0x6a, ...set(i)];

const CODE: number[] = [
  0x02, 0x40, // block
  0x03, 0x40, // loop over p
  ...get(6), ...get(4), 0x4f, 0x0d, 0x01, // if p >= m break
  ...get(2), ...get(6), ...i32c(2), 0x74, 0x6a, 0x28, 0x02, 0x00, // ids[p]
  ...get(1), 0x6c, ...i32c(4), 0x74, ...get(0), 0x6a, ...set(7), // base = w + ids[p]*k4*16
  ...get(3), ...get(6), ...i32c(2), 0x74, 0x6a, 0x2a, 0x02, 0x00, 0xfd, 0x13, ...set(10), // v = splat(vals[p])
  ...i32c(0), ...set(8),
  ...get(5), ...set(9),
  0x02, 0x40, // block
  0x03, 0x40, // loop over class blocks
  ...get(8), ...get(1), 0x4f, 0x0d, 0x01, // if c >= k4 break
  ...get(9),
  ...get(9), 0xfd, 0x00, 0x04, 0x00, // v128.load out
  ...get(7), 0xfd, 0x00, 0x04, 0x00, // v128.load weights
  ...get(10), 0xfd, 0xe6, 0x01, // f32x4.mul
  0xfd, 0xe4, 0x01, // f32x4.add
  0xfd, 0x0b, 0x04, 0x00, // v128.store
  ...addConst(9, 16),
  ...addConst(7, 16),
  ...addConst(8, 1),
  0x0c, 0x00, // continue
  0x0b, 0x0b, // end loop, end block
  ...addConst(6, 1),
  0x0c, 0x00,
  0x0b, 0x0b,
  0x0b, // end function
];

const BODY = [0x02, 0x04, I32, 0x01, V128, ...CODE];

const MODULE_BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [0x01, 0x60, 0x06, I32, I32, I32, I32, I32, I32, 0x00]),
  ...section(3, [0x01, 0x00]),
  ...section(5, [0x01, 0x00, 0x01]),
  ...section(7, [0x02, 0x06, ...Array.from('memory', (c) => c.charCodeAt(0)), 0x02, 0x00, 0x05, ...Array.from('score', (c) => c.charCodeAt(0)), 0x00, 0x00]),
  ...section(10, [0x01, ...leb(BODY.length), ...BODY]),
]);

let compiled: WebAssembly.Module | null | undefined;

function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = WebAssembly.validate(MODULE_BYTES) ? new WebAssembly.Module(MODULE_BYTES) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const CHUNK = 4096;

/** A dense weight matrix (feature-major, classes padded to a multiple of 4) in wasm memory. */
export class SimdScorer {
  private readonly k: number;
  private readonly k4: number;
  private readonly score: (w: number, k4: number, ids: number, vals: number, m: number, out: number) => void;
  private readonly out: Float32Array;
  private readonly ids: Int32Array;
  private readonly vals: Float32Array;
  private readonly outOff: number;
  private readonly idsOff: number;
  private readonly valsOff: number;
  private readonly wOff: number;

  private constructor(instance: WebAssembly.Instance, classes: number, dimension: number) {
    this.k = classes;
    this.k4 = Math.ceil(classes / 4);
    const memory = instance.exports['memory'] as WebAssembly.Memory;
    this.score = instance.exports['score'] as SimdScorer['score'];
    this.outOff = 0;
    this.idsOff = this.k4 * 16;
    this.valsOff = this.idsOff + CHUNK * 4;
    this.wOff = this.valsOff + CHUNK * 4;
    const bytes = this.wOff + dimension * this.k4 * 16;
    const pages = Math.ceil(bytes / 65536);
    const have = memory.buffer.byteLength / 65536;
    if (pages > have) memory.grow(pages - have);
    this.out = new Float32Array(memory.buffer, this.outOff, this.k4 * 4);
    this.ids = new Int32Array(memory.buffer, this.idsOff, CHUNK);
    this.vals = new Float32Array(memory.buffer, this.valsOff, CHUNK);
  }

  /** Builds the dense matrix from the sparse feature-major weights; null without wasm SIMD. */
  static create(classes: number, dimension: number, ptr: Int32Array, cls: Uint16Array, w: Float32Array): SimdScorer | null {
    const mod = wasmModule();
    if (mod === null) return null;
    try {
      const scorer = new SimdScorer(new WebAssembly.Instance(mod, {}), classes, dimension);
      const memory = new Float32Array((scorer.out.buffer as ArrayBuffer), scorer.wOff, dimension * scorer.k4 * 4);
      const stride = scorer.k4 * 4;
      for (let j = 0; j < dimension; j++) {
        const base = j * stride;
        for (let q = ptr[j]!; q < ptr[j + 1]!; q++) memory[base + cls[q]!] = w[q]!;
      }
      return scorer;
    } catch {
      return null;
    }
  }

  scoresInto(bias: Float32Array, ids: Int32Array, vals: Float32Array, m: number, out: Float64Array): Float64Array {
    const acc = this.out;
    acc.set(bias);
    const wasmIds = this.ids;
    const wasmVals = this.vals;
    for (let start = 0; start < m; start += CHUNK) {
      const n = Math.min(CHUNK, m - start);
      // Plain loops: subarray() would allocate two views per call on this hot path.
      for (let p = 0; p < n; p++) {
        wasmIds[p] = ids[start + p]!;
        wasmVals[p] = vals[start + p]!;
      }
      this.score(this.wOff, this.k4, this.idsOff, this.valsOff, n, this.outOff);
    }
    for (let c = 0; c < this.k; c++) out[c] = acc[c]!;
    return out;
  }
}
