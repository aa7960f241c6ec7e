// The round-to-nearest INT4 kernel: self-contained functions (no imports, no closures, no nested functions) so that
// worker threads can run their source text too (rtn-pool.ts), on column ranges of one weight in shared memory.

/**
 * Scale (and zero point) of a block from its extremes. Symmetric: codes −8..7 around 8, with the block's larger side
 * on −8 when that is finer, so no value is clipped by more than half a step. Asymmetric: the range widened to hold 0
 * exactly spread over codes 0..15. An all-zero block gets scale 0 (every code dequantizes to 0).
 */
export function blockScale(min: number, max: number, symmetric: boolean): { scale: number; zeroPoint: number } {
  if (symmetric) {
    const negative = Math.max(-min / 8, max / 7); // min → −8, max ≤ +7
    const flipped = Math.max(max / 8, -min / 7); // max → −8 with a negative scale
    return negative <= flipped ? { scale: Math.fround(negative), zeroPoint: 8 } : { scale: Math.fround(-flipped), zeroPoint: 8 };
  }
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  const scale = Math.fround((hi - lo) / 15);
  if (scale === 0) return { scale: 0, zeroPoint: 8 };
  // adding then subtracting 1.5·2^52 rounds a double to the nearest integer, ties to even
  const zp = 6755399441055744 + -lo / scale - 6755399441055744;
  return { scale, zeroPoint: zp < 0 ? 0 : zp > 15 ? 15 : zp };
}

/**
 * One column's block, already copied contiguously into `scratch` at `base`: its scale (and zero point) from its
 * extremes, then its codes, two per byte, from `data[out]` on. Returns false on NaN or ±Infinity.
 */
export function rtnBlock(
  scratch: Float32Array, base: number, rows: number, blockSize: number, symmetric: boolean,
  data: Uint8Array, out: number, scales: Float32Array, scaleAt: number, zeroPoints: Uint8Array | null, zeroAt: number, zeroShift: number,
): boolean {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const v = scratch[base + r] as number;
    sum += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // NaN or ±Infinity anywhere leaves a sum that is not finite
  if (sum - sum !== 0) return false;
  const p = blockScale(lo, hi, symmetric);
  const zero = p.zeroPoint;
  scales[scaleAt] = p.scale;
  if (zeroPoints) zeroPoints[zeroAt] = (zeroPoints[zeroAt] as number) | (zero << zeroShift);
  const inverse = p.scale === 0 ? 0 : 1 / p.scale;
  const bias = zero + 0.5;
  let r = 0;
  // no clamping needed: the scale maps the block into [−0.5, 15.5] around its codes (blockScale), so the
  // truncation lands in 0..15, or on 16 for a value exactly at 15.5, which q − (q >> 4) turns into 15
  for (; r + 1 < rows; r += 2) {
    const q0 = ((scratch[base + r] as number) * inverse + bias) | 0;
    const q1 = ((scratch[base + r + 1] as number) * inverse + bias) | 0;
    data[out++] = (q0 - (q0 >> 4)) | ((q1 - (q1 >> 4)) << 4);
  }
  if (r < rows) {
    const q0 = ((scratch[base + r] as number) * inverse + bias) | 0;
    data[out++] = (q0 - (q0 >> 4)) | (zero << 4);
    r += 2;
  }
  for (; r < blockSize; r += 2) data[out++] = zero | (zero << 4);
  return true;
}

/** Copies rows [start, start + rows) of columns [t0, t0 + width) of `w` column-major into `scratch`. */
export function copyTile(w: Float32Array, n: number, start: number, rows: number, t0: number, width: number, scratch: Float32Array, blockSize: number): void {
  for (let r = 0; r < rows; r++) {
    const src = (start + r) * n + t0;
    for (let j = 0; j < width; j++) scratch[j * blockSize + r] = w[src + j] as number;
  }
}

/**
 * Codes columns [c0, c1) of a row-major float weight [k, n] into MatMulNBits' layout: B [n, blocks, bs/2] (code j of
 * a block in the low nibble of byte j/2 when j is even), scales [n·blocks], zero points [n·⌈blocks/2⌉] (asymmetric).
 * Tiles of 64 columns × one block of rows are copied column-major into a small scratch first (reading a column
 * straight from the weight strides by n floats). Small functions on purpose: V8 optimizes them well, where one big
 * loop nest ran at a quarter of the speed. Codes round half up, (x + 0.5) | 0, within half a step; padding rows past K
 * code the zero point (they dequantize to exactly 0). Returns false on NaN or ±Infinity.
 */
export function rtnColumns(
  w: Float32Array, k: number, n: number, blockSize: number, symmetric: boolean, c0: number, c1: number,
  data: Uint8Array, scales: Float32Array, zeroPoints: Uint8Array | null,
): boolean {
  const tile = 64;
  const blocks = Math.ceil(k / blockSize);
  const blob = blockSize / 2;
  const zpStride = Math.ceil(blocks / 2);
  const scratch = new Float32Array(tile * blockSize);
  for (let b = 0; b < blocks; b++) {
    const start = b * blockSize;
    const rows = Math.min(blockSize, k - start);
    for (let t0 = c0; t0 < c1; t0 += tile) {
      const width = Math.min(tile, c1 - t0);
      copyTile(w, n, start, rows, t0, width, scratch, blockSize);
      for (let j = 0; j < width; j++) {
        const c = t0 + j;
        const ok = rtnBlock(scratch, j * blockSize, rows, blockSize, symmetric, data, c * blocks * blob + b * blob,
          scales, c * blocks + b, zeroPoints, c * zpStride + (b >> 1), (b & 1) * 4);
        if (!ok) return false;
      }
    }
  }
  return true;
}
