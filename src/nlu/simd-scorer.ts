/**
 * Dense linear scoring in WebAssembly SIMD: out[k] = Σ_p W[ids[p]][k] · vals[p], sixteen
 * classes (four f32x4 registers) per block, the text's features in the inner loop. The
 * module is assembled here from its opcodes (about 200 bytes) so no build step or extra
 * dependency is needed; when the runtime lacks SIMD, callers fall back to the JavaScript
 * sparse scorer.
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

/** Signed LEB128, as `i32.const` immediates need (64 unsigned would read as -64). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const I32 = 0x7f;
const V128 = 0x7b;
// Locals: params w=0 k16=1 ids=2 vals=3 m=4 out=5; c=6 p=7 base=8 stride=9 (i32);
// a0..a3=10..13 (the 16 sums of one class block), vs=14 (v128); row=15 (i32).
const A0 = 10;
const VS = 14;
const ROW = 15;
const get = (i: number): number[] => [0x20, i];
const set = (i: number): number[] => [0x21, i];
const i32c = (v: number): number[] => [0x41, ...sleb(v)];
const addConst = (i: number, v: number): number[] => [...get(i), ...i32c(v), 0x6a, ...set(i)];
const simd = (op: number): number[] => [0xfd, ...leb(op)];
const V128_LOAD = 0x00;
const V128_STORE = 0x0b;
const I32X4_SPLAT = 0x11;
const F32X4_SPLAT = 0x13;
const F32X4_ADD = 0xe4;
const F32X4_MUL = 0xe6;

/** a[i] += W[row][block + 4i …] · vs */
const accumulate = (i: number): number[] => [
  ...get(A0 + i), ...get(ROW), ...simd(V128_LOAD), 0x04, 16 * i, ...get(VS), ...simd(F32X4_MUL), ...simd(F32X4_ADD), ...set(A0 + i),
];
/** out[c·16 + 4i …] = a[i] */
const store = (i: number): number[] => [...get(5), ...get(6), ...i32c(6), 0x74, 0x6a, ...get(A0 + i), ...simd(V128_STORE), 0x04, 16 * i];

// Blocks of 16 classes outside, the text's features inside: the sums stay in registers and a
// block of one row is one 64-byte cache line.
const CODE: number[] = [
  ...get(1), ...i32c(6), 0x74, ...set(9), // stride = k16 * 64 bytes
  ...get(0), ...set(8), // base = w
  0x02, 0x40, // block
  0x03, 0x40, // loop over class blocks c
  ...get(6), ...get(1), 0x4f, 0x0d, 0x01, // if c >= k16 break
  ...[0, 1, 2, 3].flatMap((i) => [...i32c(0), ...simd(I32X4_SPLAT), ...set(A0 + i)]),
  ...i32c(0), ...set(7),
  0x02, 0x40, // block
  0x03, 0x40, // loop over features p
  ...get(7), ...get(4), 0x4f, 0x0d, 0x01, // if p >= m break
  ...get(2), ...get(7), ...i32c(2), 0x74, 0x6a, 0x28, 0x02, 0x00, // ids[p]
  ...get(9), 0x6c, ...get(8), 0x6a, ...set(ROW), // row = base + ids[p] * stride
  ...get(3), ...get(7), ...i32c(2), 0x74, 0x6a, 0x2a, 0x02, 0x00, ...simd(F32X4_SPLAT), ...set(VS), // vs = splat(vals[p])
  ...[0, 1, 2, 3].flatMap(accumulate),
  ...addConst(7, 1),
  0x0c, 0x00, // continue
  0x0b, 0x0b, // end loop, end block
  ...[0, 1, 2, 3].flatMap(store),
  ...addConst(8, 64),
  ...addConst(6, 1),
  0x0c, 0x00,
  0x0b, 0x0b,
  0x0b, // end function
];

const BODY = [0x03, 0x04, I32, 0x05, V128, 0x01, I32, ...CODE];

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

/** A dense weight matrix (feature-major, classes padded to a multiple of 16) in wasm memory. */
export class SimdScorer {
  private readonly k: number;
  private readonly k16: number;
  private readonly score: (w: number, k16: number, ids: number, vals: number, m: number, out: number) => void;
  private readonly out: Float32Array;
  private readonly ids: Int32Array;
  private readonly vals: Float32Array;
  private readonly outOff: number;
  private readonly idsOff: number;
  private readonly valsOff: number;
  private readonly wOff: number;

  private constructor(instance: WebAssembly.Instance, classes: number, dimension: number) {
    this.k = classes;
    this.k16 = Math.ceil(classes / 16);
    const memory = instance.exports['memory'] as WebAssembly.Memory;
    this.score = instance.exports['score'] as SimdScorer['score'];
    this.outOff = 0;
    this.idsOff = this.k16 * 64;
    this.valsOff = this.idsOff + CHUNK * 4;
    this.wOff = this.valsOff + CHUNK * 4;
    const bytes = this.wOff + dimension * this.k16 * 64;
    const pages = Math.ceil(bytes / 65536);
    const have = memory.buffer.byteLength / 65536;
    if (pages > have) memory.grow(pages - have);
    this.out = new Float32Array(memory.buffer, this.outOff, this.k16 * 16);
    this.ids = new Int32Array(memory.buffer, this.idsOff, CHUNK);
    this.vals = new Float32Array(memory.buffer, this.valsOff, CHUNK);
  }

  /** Builds the dense matrix from the sparse feature-major weights; null without wasm SIMD. */
  static create(classes: number, dimension: number, ptr: Int32Array, cls: Uint16Array, w: Float32Array): SimdScorer | null {
    const mod = wasmModule();
    if (mod === null) return null;
    try {
      const scorer = new SimdScorer(new WebAssembly.Instance(mod, {}), classes, dimension);
      const memory = new Float32Array((scorer.out.buffer as ArrayBuffer), scorer.wOff, dimension * scorer.k16 * 16);
      const stride = scorer.k16 * 16;
      for (let j = 0; j < dimension; j++) {
        const base = j * stride;
        for (let q = ptr[j]!; q < ptr[j + 1]!; q++) memory[base + cls[q]!] = w[q]!;
      }
      return scorer;
    } catch {
      return null;
    }
  }

  scoresInto(bias: Float32Array | null, ids: Int32Array, vals: Float32Array, m: number, out: Float64Array, from = 0): Float64Array {
    const k = this.k;
    for (let c = 0; c < k; c++) out[c] = bias === null ? 0 : bias[c]!;
    const acc = this.out;
    const wasmIds = this.ids;
    const wasmVals = this.vals;
    for (let start = from; start < m; start += CHUNK) {
      const n = Math.min(CHUNK, m - start);
      // Plain loops: subarray() would allocate two views per call on this hot path.
      for (let p = 0; p < n; p++) {
        wasmIds[p] = ids[start + p]!;
        wasmVals[p] = vals[start + p]!;
      }
      this.score(this.wOff, this.k16, this.idsOff, this.valsOff, n, this.outOff);
      for (let c = 0; c < k; c++) out[c] = out[c]! + acc[c]!;
    }
    return out;
  }
}
