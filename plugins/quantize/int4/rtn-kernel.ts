// The round-to-nearest INT4 kernel: self-contained functions (no imports, closures or nested functions) so that worker
// threads can run their source text too (rtn-pool.ts), on column ranges of one weight in shared memory.

/** A symmetric block's scale: codes −8..7 around 8, its larger side on −8 when that is finer (then the scale is
 * negative), so no value is clipped by more than half a step. */
export function symmetricScale(min: number, max: number): number {
  const negative = Math.max(-min / 8, max / 7); // min → −8, max ≤ +7
  const flipped = Math.max(max / 8, -min / 7); // max → −8 with a negative scale
  return Math.fround(negative <= flipped ? negative : -flipped);
}

/**
 * Scale (and zero point) of a block from its extremes. Symmetric: symmetricScale, zero point 8. Asymmetric: the range
 * widened to hold 0 exactly spread over codes 0..15. An all-zero block gets scale 0 (every code dequantizes to 0).
 */
export function blockScale(min: number, max: number, symmetric: boolean): { scale: number; zeroPoint: number } {
  if (symmetric) return { scale: symmetricScale(min, max), zeroPoint: 8 };
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  const scale = Math.fround((hi - lo) / 15);
  if (scale === 0) return { scale: 0, zeroPoint: 8 };
  // adding then subtracting 1.5·2^52 rounds a double to the nearest integer, ties to even
  const zp = 6755399441055744 + -lo / scale - 6755399441055744;
  return { scale, zeroPoint: zp < 0 ? 0 : zp > 15 ? 15 : zp };
}

/** Where one block of the packed weight goes, and how it is coded. */
interface BlockTarget {
  k: number;
  n: number;
  blockSize: number;
  blocks: number;
  symmetric: boolean;
  data: Uint8Array;
  scales: Float32Array;
  zeroPoints: Uint8Array | null;
}

/**
 * Block `b` of column `c`: scale and zero point from (lo, hi), then its codes read from `w` (stride n), two per byte.
 * Codes round half up, (x + 0.5) | 0: the scale maps the block into [−0.5, 15.5] around its codes (blockScale), so
 * the truncation lands in 0..15, or on 16 for a value exactly at 15.5, which q − (q >> 4) turns into 15. Rows past K
 * are padding and code the zero point (they dequantize to exactly 0).
 */
export function codeBlock(w: Float32Array, t: BlockTarget, b: number, c: number, lo: number, hi: number): void {
  const { n, blockSize, blocks } = t;
  const start = b * blockSize;
  const rows = Math.min(blockSize, t.k - start);
  const p = blockScale(lo, hi, t.symmetric);
  const zero = p.zeroPoint;
  t.scales[c * blocks + b] = p.scale;
  if (t.zeroPoints) {
    const at = c * Math.ceil(blocks / 2) + (b >> 1);
    t.zeroPoints[at] = (t.zeroPoints[at] as number) | (zero << ((b & 1) * 4));
  }
  const inverse = p.scale === 0 ? 0 : 1 / p.scale;
  const bias = zero + 0.5;
  const data = t.data;
  let out = c * blocks * (blockSize / 2) + b * (blockSize / 2);
  let idx = start * n + c;
  let r = 0;
  for (; r + 1 < rows; r += 2, idx += 2 * n) {
    const q0 = ((w[idx] as number) * inverse + bias) | 0;
    const q1 = ((w[idx + n] as number) * inverse + bias) | 0;
    data[out++] = (q0 - (q0 >> 4)) | ((q1 - (q1 >> 4)) << 4);
  }
  if (r < rows) {
    const q0 = ((w[idx] as number) * inverse + bias) | 0;
    data[out++] = (q0 - (q0 >> 4)) | (zero << 4);
    r += 2;
  }
  for (; r < blockSize; r += 2) data[out++] = zero | (zero << 4);
}

/**
 * Extremes of block `b` for four neighbouring columns c..c+3 in one pass over its rows (four floats side by side in
 * each row: shared index arithmetic and loads from one cache line), then each column coded. 1.8× faster than one
 * column at a time here. Returns false on NaN or ±Infinity.
 */
export function quadBlock(w: Float32Array, t: BlockTarget, b: number, c: number): boolean {
  const n = t.n;
  const start = b * t.blockSize;
  const rows = Math.min(t.blockSize, t.k - start);
  let idx = start * n + c;
  let l0 = Number.POSITIVE_INFINITY; let l1 = l0; let l2 = l0; let l3 = l0;
  let h0 = Number.NEGATIVE_INFINITY; let h1 = h0; let h2 = h0; let h3 = h0;
  let sum = 0;
  for (let r = 0; r < rows; r++, idx += n) {
    const v0 = w[idx] as number;
    const v1 = w[idx + 1] as number;
    const v2 = w[idx + 2] as number;
    const v3 = w[idx + 3] as number;
    sum += v0 + v1 + v2 + v3;
    if (v0 < l0) l0 = v0;
    if (v0 > h0) h0 = v0;
    if (v1 < l1) l1 = v1;
    if (v1 > h1) h1 = v1;
    if (v2 < l2) l2 = v2;
    if (v2 > h2) h2 = v2;
    if (v3 < l3) l3 = v3;
    if (v3 > h3) h3 = v3;
  }
  // NaN or ±Infinity anywhere leaves a sum that is not finite
  if (sum - sum !== 0) return false;
  if (rows < t.blockSize || !t.symmetric) {
    // the last, padded block and asymmetric blocks (zero points) take the general path
    codeBlock(w, t, b, c, l0, h0);
    codeBlock(w, t, b, c + 1, l1, h1);
    codeBlock(w, t, b, c + 2, l2, h2);
    codeBlock(w, t, b, c + 3, l3, h3);
    return true;
  }
  // symmetric full block: four scales, then the four columns coded in one loop (zero point 8, bias 8.5)
  const { blocks, scales, data } = t;
  const s0 = symmetricScale(l0, h0);
  const s1 = symmetricScale(l1, h1);
  const s2 = symmetricScale(l2, h2);
  const s3 = symmetricScale(l3, h3);
  scales[c * blocks + b] = s0;
  scales[(c + 1) * blocks + b] = s1;
  scales[(c + 2) * blocks + b] = s2;
  scales[(c + 3) * blocks + b] = s3;
  const i0 = s0 === 0 ? 0 : 1 / s0;
  const i1 = s1 === 0 ? 0 : 1 / s1;
  const i2 = s2 === 0 ? 0 : 1 / s2;
  const i3 = s3 === 0 ? 0 : 1 / s3;
  const stride = blocks * (t.blockSize / 2);
  let o = c * stride + b * (t.blockSize / 2);
  idx = start * n + c;
  for (let r = 0; r < rows; r += 2, idx += 2 * n, o++) {
    const j = idx + n;
    let a = ((w[idx] as number) * i0 + 8.5) | 0;
    let z = ((w[j] as number) * i0 + 8.5) | 0;
    data[o] = (a - (a >> 4)) | ((z - (z >> 4)) << 4);
    a = ((w[idx + 1] as number) * i1 + 8.5) | 0;
    z = ((w[j + 1] as number) * i1 + 8.5) | 0;
    data[o + stride] = (a - (a >> 4)) | ((z - (z >> 4)) << 4);
    a = ((w[idx + 2] as number) * i2 + 8.5) | 0;
    z = ((w[j + 2] as number) * i2 + 8.5) | 0;
    data[o + 2 * stride] = (a - (a >> 4)) | ((z - (z >> 4)) << 4);
    a = ((w[idx + 3] as number) * i3 + 8.5) | 0;
    z = ((w[j + 3] as number) * i3 + 8.5) | 0;
    data[o + 3 * stride] = (a - (a >> 4)) | ((z - (z >> 4)) << 4);
  }
  return true;
}

/** One column's block (the columns left over after the groups of four). Returns false on NaN or ±Infinity. */
export function singleBlock(w: Float32Array, t: BlockTarget, b: number, c: number): boolean {
  const n = t.n;
  const start = b * t.blockSize;
  const rows = Math.min(t.blockSize, t.k - start);
  let idx = start * n + c;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let r = 0; r < rows; r++, idx += n) {
    const v = w[idx] as number;
    sum += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (sum - sum !== 0) return false;
  codeBlock(w, t, b, c, lo, hi);
  return true;
}

/**
 * Codes columns [c0, c1) of a row-major float weight [k, n] into MatMulNBits' layout: B [n, blocks, bs/2] (code j of
 * a block in the low nibble of byte j/2 when j is even), scales [n·blocks], zero points [n·⌈blocks/2⌉] (asymmetric).
 * Returns false on NaN or ±Infinity.
 */
export function rtnColumns(
  w: Float32Array, k: number, n: number, blockSize: number, symmetric: boolean, c0: number, c1: number,
  data: Uint8Array, scales: Float32Array, zeroPoints: Uint8Array | null,
): boolean {
  const blocks = Math.ceil(k / blockSize);
  const t: BlockTarget = { k, n, blockSize, blocks, symmetric, data, scales, zeroPoints };
  const quads = c0 + Math.floor((c1 - c0) / 4) * 4;
  for (let b = 0; b < blocks; b++) {
    for (let c = c0; c < quads; c += 4) if (!quadBlock(w, t, b, c)) return false;
    for (let c = quads; c < c1; c++) if (!singleBlock(w, t, b, c)) return false;
  }
  return true;
}
