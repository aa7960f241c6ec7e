// GPTQ (Frantar et al., 2022) for one weight [K, N]: quantize K rows in order, each row's rounding error spread over
// the rows not yet quantized through the upper Cholesky factor of H⁻¹, with H = 2·XᵀX from calibration activations.
import { WeightQuantError } from '../weight-quant.js';
import { allocatePacked, columnExtremes, encode, setBlockParams, type BlockwiseOptions, type PackedWeight } from './blockwise.js';
import { inverseUpperFactor } from './hessian-factor.js';

/** H = 2/T·Σ xxᵀ over every activation row, accumulated in its lower triangle. */
export class Hessian {
  readonly k: number;
  readonly sum: Float64Array;
  rows = 0;

  constructor(k: number) {
    this.k = k;
    this.sum = new Float64Array(k * k);
  }

  /** Adds `rows` activation rows of length k (row-major). */
  add(x: Float32Array, rows: number): void {
    const { k, sum } = this;
    for (let t = 0; t < rows; t++) {
      const o = t * k;
      for (let i = 0; i < k; i++) {
        const xi = x[o + i] as number;
        if (xi === 0) continue;
        const ri = i * k;
        for (let j = 0; j <= i; j++) sum[ri + j] = (sum[ri + j] as number) + xi * (x[o + j] as number);
      }
    }
    this.rows += rows;
  }

  /** Adds a Gram matrix Σ xxᵀ (k×k, full, row-major) over `rows` activation rows, e.g. one ORT computed. */
  addGram(gram: ArrayLike<number>, rows: number): void {
    const { k, sum } = this;
    for (let i = 0; i < k; i++) {
      const ri = i * k;
      for (let j = 0; j <= i; j++) sum[ri + j] = (sum[ri + j] as number) + (gram[ri + j] as number);
    }
    this.rows += rows;
  }

  /** Adds another Hessian of the same size (a weight read by MatMuls with different inputs). */
  merge(other: Hessian): void {
    for (let i = 0; i < this.sum.length; i++) this.sum[i] = (this.sum[i] as number) + (other.sum[i] as number);
    this.rows += other.rows;
  }

  /** The full symmetric 2/T·XᵀX. */
  matrix(): Float64Array {
    const { k } = this;
    const h = new Float64Array(k * k);
    const f = this.rows > 0 ? 2 / this.rows : 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j <= i; j++) {
        const v = (this.sum[i * k + j] as number) * f;
        h[i * k + j] = v;
        h[j * k + i] = v;
      }
    }
    return h;
  }
}

export interface GptqOptions extends BlockwiseOptions {
  /** damping added to H's diagonal, as a fraction of its mean (the paper's 1%) */
  damp: number;
}

/** H's factor after dead inputs (never active: their rows are zeroed) and damping; more damping while not PD. */
function factor(h: Float64Array, k: number, w: Float32Array, n: number, damp: number): Float64Array {
  let mean = 0;
  for (let i = 0; i < k; i++) {
    if (h[i * k + i] === 0) {
      h[i * k + i] = 1;
      w.fill(0, i * n, (i + 1) * n);
    }
    mean += h[i * k + i] as number;
  }
  mean /= k;
  for (let attempt = 0, d = damp; attempt < 6; attempt++, d *= 10) {
    const damped = Float64Array.from(h);
    for (let i = 0; i < k; i++) damped[i * k + i] = (damped[i * k + i] as number) + d * mean;
    const u = inverseUpperFactor(damped, k);
    if (u) return u;
  }
  throw new WeightQuantError('its calibration Hessian stays singular even with 10⁵× the usual damping');
}

/** Error rows of the block just quantized, applied to every later row at once (the paper's lazy batch update). */
function propagate(w: Float32Array, n: number, k: number, u: Float64Array, errors: Float64Array, start: number, end: number): void {
  for (let r = end; r < k; r++) {
    const base = r * n;
    for (let j = start; j < end; j++) {
      const f = u[j * k + r] as number;
      if (f === 0) continue;
      const e = (j - start) * n;
      for (let c = 0; c < n; c++) w[base + c] = (w[base + c] as number) - (errors[e + c] as number) * f;
    }
  }
}

/** GPTQ of a row-major float weight [k, n] with H [k, k]; groups (scales) match MatMulNBits' blocks. */
export function gptqQuantize(weight: Float32Array, k: number, n: number, hessian: Float64Array, options: GptqOptions): PackedWeight {
  const w = Float32Array.from(weight);
  const u = factor(hessian, k, w, n, options.damp);
  const packed = allocatePacked(k, n, options);
  const { blocks, blockSize } = packed;
  const blob = blockSize / 2;
  const stride = blocks * blob;
  const mins = new Float64Array(n);
  const maxs = new Float64Array(n);
  const inverse = new Float64Array(n);
  const zero = new Float64Array(n);
  const errors = new Float64Array(blockSize * n);
  for (let b = 0; b < blocks; b++) {
    const start = b * blockSize;
    const end = Math.min(k, start + blockSize);
    // the group's scales come from its rows as earlier rows' errors left them
    columnExtremes(w, n, start, end, mins, maxs);
    setBlockParams(packed, b, mins, maxs, options.symmetric, inverse, zero);
    for (let row = start; row < start + blockSize; row++) {
      const j = row - start;
      const offset = b * blob + (j >> 1);
      const shift = (j & 1) * 4;
      if (row >= k) {
        for (let c = 0; c < n; c++) packed.data[c * stride + offset] = (packed.data[c * stride + offset] as number) | ((zero[c] as number) << shift);
        continue;
      }
      const d = u[row * k + row] as number;
      const base = row * n;
      const e = j * n;
      for (let c = 0; c < n; c++) {
        const v = w[base + c] as number;
        const q = encode(v, inverse[c] as number, zero[c] as number);
        packed.data[c * stride + offset] = (packed.data[c * stride + offset] as number) | (q << shift);
        const dequantized = (q - (zero[c] as number)) * (packed.scales[c * blocks + b] as number);
        errors[e + c] = (v - dequantized) / d;
      }
      // within the block, at once: the rows after this one absorb its error
      for (let r = row + 1; r < end; r++) {
        const f = u[row * k + r] as number;
        if (f === 0) continue;
        const rb = r * n;
        for (let c = 0; c < n; c++) w[rb + c] = (w[rb + c] as number) - (errors[e + c] as number) * f;
      }
    }
    propagate(w, n, k, u, errors, start, end);
  }
  return packed;
}
