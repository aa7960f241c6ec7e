// Weight quantization math: per-tensor or per-channel scales and zero points for int8/uint8, symmetric or not, 7-bit reduce_range.

export type WeightType = 'int8' | 'uint8';

export interface WeightQuantOptions {
  type: WeightType;
  /** zero point fixed at the type's midpoint (0 for int8, 128 for uint8) and the range mirrored around it */
  symmetric: boolean;
  /** 7-bit weights ([-64, 63] or [0, 127]): leaves headroom for CPUs whose u8×s8 dot products saturate (no VNNI) */
  reduceRange: boolean;
  /** one scale per channel (output column / output filter) instead of one for the whole tensor */
  perChannel: boolean;
}

/** A weight viewed as [outer, channels, inner] (row-major): the channel axis is the middle one. */
export interface ChannelLayout {
  outer: number;
  channels: number;
  inner: number;
}

export interface QuantizedWeight {
  /** same element order as the float input */
  data: Int8Array | Uint8Array;
  /** one per channel (perChannel) or a single one */
  scales: Float32Array;
  zeroPoints: Int8Array | Uint8Array;
}

export interface QuantRange {
  qmin: number;
  qmax: number;
}

/** Thrown when a weight cannot be quantized (NaN or infinite values); handlers turn it into a skip reason. */
export class WeightQuantError extends Error {
  override name = 'WeightQuantError';
}

// float32's smallest normal: a scale below it would be flushed to zero by CPUs running with FTZ/DAZ
const MIN_NORMAL_F32 = 2 ** -126;

/** Integer range a weight type may use. Symmetric ranges are mirrored (±127, not -128) so that -w quantizes to -q. */
export function quantRange(type: WeightType, symmetric: boolean, reduceRange: boolean): QuantRange {
  const half = reduceRange ? 63 : 127;
  const mid = type === 'int8' ? 0 : reduceRange ? 64 : 128;
  if (symmetric) return { qmin: mid - half, qmax: mid + half };
  return type === 'int8' ? { qmin: reduceRange ? -64 : -128, qmax: half } : { qmin: 0, qmax: reduceRange ? 127 : 255 };
}

/** Round half to even (numpy's rint, which ONNX Runtime's python quantizer uses). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Scale and zero point for values in [min, max]. The range always contains 0 (so padding and exact zeros stay exact).
 * The scale is rounded to float32 (what the model stores) and kept a positive normal float: an all-zero channel gets 1.
 */
export function quantParams(min: number, max: number, range: QuantRange, symmetric: boolean): { scale: number; zeroPoint: number } {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  let scale: number;
  let zeroPoint: number;
  if (symmetric) {
    const half = (range.qmax - range.qmin) / 2;
    scale = Math.max(-lo, hi) / half;
    zeroPoint = (range.qmax + range.qmin) / 2;
  } else {
    scale = (hi - lo) / (range.qmax - range.qmin);
    zeroPoint = Number.NaN;
  }
  scale = Math.fround(scale);
  if (!(scale > 0)) scale = 1;
  else if (scale < MIN_NORMAL_F32) scale = MIN_NORMAL_F32;
  if (!symmetric) zeroPoint = Math.min(range.qmax, Math.max(range.qmin, roundHalfEven(range.qmin - lo / scale)));
  return { scale, zeroPoint };
}

/** Per-channel (or whole-tensor) min and max; throws WeightQuantError on NaN or ±Infinity. */
function channelExtremes(values: Float32Array, layout: ChannelLayout, perChannel: boolean): { mins: Float64Array; maxs: Float64Array } {
  const n = perChannel ? layout.channels : 1;
  const mins = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const maxs = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const { outer, channels, inner } = layout;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const k = perChannel ? c : 0;
      const base = (o * channels + c) * inner;
      let lo = mins[k] as number;
      let hi = maxs[k] as number;
      for (let i = 0; i < inner; i++) {
        const v = values[base + i] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        if (!Number.isFinite(v)) throw new WeightQuantError(`it holds ${Number.isNaN(v) ? 'NaN' : 'infinite'} values`);
      }
      mins[k] = lo;
      maxs[k] = hi;
    }
  }
  return { mins, maxs };
}

/**
 * Quantizes a float weight laid out as [outer, channels, inner]; scales are per channel when options.perChannel.
 * `minScales` (one per scale) raises scales that would be smaller, e.g. so that an int32 bias at activation scale ×
 * weight scale stays in range.
 */
export function quantizeWeight(values: Float32Array, layout: ChannelLayout, options: WeightQuantOptions, minScales?: ArrayLike<number>): QuantizedWeight {
  const { outer, channels, inner } = layout;
  if (values.length !== outer * channels * inner) {
    throw new RangeError(`layout ${outer}×${channels}×${inner} does not match ${values.length} values`);
  }
  const range = quantRange(options.type, options.symmetric, options.reduceRange);
  const { mins, maxs } = channelExtremes(values, layout, options.perChannel);
  const count = mins.length;
  const scales = new Float32Array(count);
  const zeroPoints = options.type === 'int8' ? new Int8Array(count) : new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    // an empty tensor leaves ±Infinity extremes: treat it as all zeros
    let lo = Number.isFinite(mins[k] as number) ? (mins[k] as number) : 0;
    let hi = Number.isFinite(maxs[k] as number) ? (maxs[k] as number) : 0;
    const floor = minScales?.[k] ?? 0;
    if (floor > 0) {
      // widen the range until its scale reaches the floor (mirrored when symmetric)
      const span = floor * (range.qmax - range.qmin);
      if (options.symmetric) hi = Math.max(hi, -lo, span / 2);
      else hi = Math.max(hi, Math.min(0, lo) + span);
      if (options.symmetric) lo = -hi;
    }
    const p = quantParams(lo, hi, range, options.symmetric);
    scales[k] = p.scale;
    zeroPoints[k] = p.zeroPoint;
  }
  const data = options.type === 'int8' ? new Int8Array(values.length) : new Uint8Array(values.length);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const k = options.perChannel ? c : 0;
      const scale = scales[k] as number;
      const zp = zeroPoints[k] as number;
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const q = roundHalfEven((values[base + i] as number) / scale) + zp;
        data[base + i] = q < range.qmin ? range.qmin : q > range.qmax ? range.qmax : q;
      }
    }
  }
  return { data, scales, zeroPoints };
}

/** (q - zero point) × scale, in the element order of the quantized data. */
export function dequantizeWeight(weight: QuantizedWeight, layout: ChannelLayout): Float32Array {
  const { outer, channels, inner } = layout;
  const out = new Float32Array(weight.data.length);
  const perChannel = weight.scales.length > 1;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const k = perChannel ? c : 0;
      const scale = weight.scales[k] as number;
      const zp = weight.zeroPoints[k] as number;
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) out[base + i] = ((weight.data[base + i] as number) - zp) * scale;
    }
  }
  return out;
}

/** Transposes a row-major [rows, cols] byte matrix (a quantized weight) into [cols, rows]. */
export function transposeBytes<T extends Int8Array | Uint8Array>(data: T, rows: number, cols: number): T {
  const out = new (data.constructor as new (n: number) => T)(data.length);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[base + c] as number;
  }
  return out;
}
