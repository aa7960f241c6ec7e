// INT4 blockwise weight math in MatMulNBits' layout: a float weight [K, N] → 4-bit codes [N, blocks, bs/2], scales, zero points.
import { WeightQuantError } from '../weight-quant.js';
import { blockScale, rtnColumns } from './rtn-kernel.js';

export { blockScale };

export interface BlockwiseOptions {
  /** weights per block along K (16..256, a power of 2) */
  blockSize: number;
  /** zero point fixed at 8 (not stored); else one 4-bit zero point per block */
  symmetric: boolean;
}

/** MatMulNBits' B, scales and zero_points for one weight (N columns of K values, blocks along K). */
export interface PackedWeight {
  k: number;
  n: number;
  blockSize: number;
  blocks: number;
  /** uint8 [N, blocks, blockSize / 2]: code j of a block in the low nibble of byte j/2 when j is even */
  data: Uint8Array;
  /** float32 [N * blocks] (a symmetric scale may be negative: its larger side maps to code 0) */
  scales: Float32Array;
  /** uint8 [N * ceil(blocks / 2)], block b of column n in the low nibble when b is even; absent when symmetric */
  zeroPoints?: Uint8Array;
}

// adding then subtracting 1.5·2^52 rounds a double to the nearest integer, ties to even, for |x| < 2^51
const ROUND = 6755399441055744;

/** An empty packed weight with the layout MatMulNBits expects for [k, n] in blocks of `blockSize`. */
export function allocatePacked(k: number, n: number, options: BlockwiseOptions): PackedWeight {
  const blocks = Math.ceil(k / options.blockSize);
  const packed: PackedWeight = {
    k, n, blockSize: options.blockSize, blocks,
    data: new Uint8Array(n * blocks * (options.blockSize / 2)),
    scales: new Float32Array(n * blocks),
  };
  if (!options.symmetric) packed.zeroPoints = new Uint8Array(n * Math.ceil(blocks / 2));
  return packed;
}

/** Per-column min and max of rows [row, end) of a row-major [*, n] matrix; throws on NaN or infinite values. */
export function columnExtremes(w: Float32Array, n: number, row: number, end: number, mins: Float64Array, maxs: Float64Array): void {
  mins.fill(Number.POSITIVE_INFINITY);
  maxs.fill(Number.NEGATIVE_INFINITY);
  let poison = 0;
  for (let r = row; r < end; r++) {
    const base = r * n;
    for (let c = 0; c < n; c++) {
      const v = w[base + c] as number;
      poison += v - v; // NaN for NaN and ±Infinity, 0 otherwise
      if (v < (mins[c] as number)) mins[c] = v;
      if (v > (maxs[c] as number)) maxs[c] = v;
    }
  }
  if (poison !== 0) throw new WeightQuantError(`it holds ${Number.isNaN(poison) ? 'NaN or infinite' : 'non-finite'} values`);
}

/** Sets the scales and zero points of block `b` from column extremes; fills `inverse` and `zero` for the coder. */
export function setBlockParams(packed: PackedWeight, b: number, mins: Float64Array, maxs: Float64Array, symmetric: boolean, inverse: Float64Array, zero: Float64Array): void {
  const { n, blocks } = packed;
  const zpStride = Math.ceil(blocks / 2);
  for (let c = 0; c < n; c++) {
    const p = blockScale(mins[c] as number, maxs[c] as number, symmetric);
    packed.scales[c * blocks + b] = p.scale;
    inverse[c] = p.scale === 0 ? 0 : 1 / p.scale;
    zero[c] = p.zeroPoint;
    if (packed.zeroPoints) packed.zeroPoints[c * zpStride + (b >> 1)]! |= p.zeroPoint << ((b & 1) * 4);
  }
}

/** The 4-bit code of one value. */
export function encode(v: number, inverse: number, zero: number): number {
  const q = ROUND + v * inverse - ROUND + zero;
  return q < 0 ? 0 : q > 15 ? 15 : q;
}

/**
 * Round-to-nearest INT4 of a row-major float weight [k, n] on this thread (a view on the model's bytes is fine: it
 * is only read); rtn-pool.ts splits big weights across threads with the same kernel.
 */
export function quantizeBlockwise(w: Float32Array, k: number, n: number, options: BlockwiseOptions): PackedWeight {
  if (w.length !== k * n) throw new RangeError(`a [${k}, ${n}] weight needs ${k * n} values, got ${w.length}`);
  const packed = allocatePacked(k, n, options);
  if (!rtnColumns(w, k, n, options.blockSize, options.symmetric, 0, n, packed.data, packed.scales, packed.zeroPoints ?? null)) {
    throw new WeightQuantError('it holds NaN or infinite values');
  }
  return packed;
}

/** The float weight [k, n] the packed codes stand for: (code − zero point) × scale. */
export function dequantizeBlockwise(packed: PackedWeight): Float32Array {
  const { k, n, blocks, blockSize, data, scales, zeroPoints } = packed;
  const out = new Float32Array(k * n);
  const blob = blockSize / 2;
  const zpStride = Math.ceil(blocks / 2);
  for (let c = 0; c < n; c++) {
    for (let row = 0; row < k; row++) {
      const b = Math.floor(row / blockSize);
      const j = row % blockSize;
      const byte = data[c * blocks * blob + b * blob + (j >> 1)] as number;
      const code = (byte >> ((j & 1) * 4)) & 15;
      const zp = zeroPoints ? ((zeroPoints[c * zpStride + (b >> 1)] as number) >> ((b & 1) * 4)) & 15 : 8;
      out[row * n + c] = (code - zp) * (scales[c * blocks + b] as number);
    }
  }
  return out;
}

