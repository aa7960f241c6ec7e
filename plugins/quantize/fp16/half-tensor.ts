// float32 → float16 tensor data, written over the float32 bytes themselves (no second copy of a big model's weights).
import { DataType, floatBitsToHalf, tensorRawBytes, type TensorProto } from '../../../src/api.js';

/** What the conversion had to change beyond rounding. */
export interface HalfStats {
  /** finite values beyond ±65504 (float16's largest), clamped to it instead of becoming ±inf */
  clamped: number;
  /** non-zero values below 2^-24 (float16's smallest subnormal), raised to it so they stay non-zero (epsilons) */
  raised: number;
}

const MAX_HALF_BITS = 0x477fe000; // 65504 as float32 bits
const MIN_HALF_BITS = 0x33800000; // 2^-24 as float32 bits
const INF_BITS = 0x7f800000;

/**
 * Converts the float32 values in `src` into `halves`, which may alias `src` starting at most 2 bytes later: element i
 * is read before its half is written, and a half never reaches the bytes of a later, unread float. Clamps like ORT's
 * float16 converter (sign and finiteness are kept).
 */
function convert(src: Uint8Array, halves: Uint16Array, stats: HalfStats): void {
  const count = halves.length;
  const words = src.byteOffset % 4 === 0 ? new Uint32Array(src.buffer, src.byteOffset, count) : undefined;
  for (let i = 0; i < count; i++) {
    let bits: number;
    if (words) bits = words[i] as number;
    else {
      const o = 4 * i;
      bits = ((src[o] as number) | ((src[o + 1] as number) << 8) | ((src[o + 2] as number) << 16) | ((src[o + 3] as number) << 24)) >>> 0;
    }
    const magnitude = bits & 0x7fffffff;
    if (magnitude > MAX_HALF_BITS && magnitude < INF_BITS) {
      bits = ((bits & 0x80000000) | MAX_HALF_BITS) >>> 0;
      stats.clamped++;
    } else if (magnitude !== 0 && magnitude < MIN_HALF_BITS) {
      bits = ((bits & 0x80000000) | MIN_HALF_BITS) >>> 0;
      stats.raised++;
    }
    halves[i] = floatBitsToHalf(bits);
  }
}

/**
 * Rewrites a FLOAT tensor as FLOAT16 in place: its raw_data becomes a view on the first half of its own bytes (shifted
 * by one byte when needed for 2-byte alignment). Tensors stored in float_data are converted into a new buffer.
 */
export function halveInPlace(tensor: TensorProto): HalfStats {
  const stats: HalfStats = { clamped: 0, raised: 0 };
  const raw = tensor.raw_data && tensor.raw_data.length > 0 ? tensor.raw_data : undefined;
  const floats = raw ?? new Uint8Array(tensorRawBytes(tensor));
  const count = floats.length / 4;
  const shift = floats.byteOffset % 2;
  const halves = new Uint16Array(floats.buffer, floats.byteOffset + shift, count);
  convert(floats, halves, stats);
  tensor.raw_data = new Uint8Array(halves.buffer, halves.byteOffset, 2 * count);
  delete tensor.float_data;
  tensor.data_type = DataType.FLOAT16;
  return stats;
}

/** A FLOAT16 copy of a FLOAT tensor under `name` (the original is left as it is). */
export function halfCopy(tensor: TensorProto, name: string): { tensor: TensorProto; stats: HalfStats } {
  const stats: HalfStats = { clamped: 0, raised: 0 };
  const floats = tensorRawBytes(tensor);
  const halves = new Uint16Array(floats.length / 4);
  convert(floats, halves, stats);
  const { raw_data: _r, float_data: _f, ...header } = tensor;
  return { tensor: { ...header, name, data_type: DataType.FLOAT16, raw_data: new Uint8Array(halves.buffer) }, stats };
}
