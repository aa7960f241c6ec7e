// Converting data to the dtype a model input wants: floats to floats, integers to integers that hold them; nothing else.
import { toFloat16Bits } from '../ort/feeds.js';
import type { TensorDType } from '../recipe/types.js';
import { allocArray, isFloat, type TypedArray } from './npy-dtypes.js';

/** IEEE 754 binary16 bits → number (exact: every half is a double). */
export function fromFloat16Bits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** Every element as a float64: float16 bits decoded, 64-bit integers rounded to the nearest double, bools 0/1. */
export function toFloat64(data: TypedArray, dtype: TensorDType): Float64Array {
  if (dtype === 'float64') return data as Float64Array;
  const out = new Float64Array(data.length);
  if (dtype === 'float16') {
    for (let i = 0; i < data.length; i++) out[i] = fromFloat16Bits(data[i] as number);
  } else if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]!);
  } else {
    out.set(data as ArrayLike<number>);
  }
  return out;
}

const INT_RANGE: Partial<Record<TensorDType, [bigint, bigint]>> = {
  int8: [-128n, 127n], uint8: [0n, 255n], int16: [-32768n, 32767n], uint16: [0n, 65535n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n], uint32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n], uint64: [0n, 2n ** 64n - 1n], bool: [0n, 1n],
};

function floatToFloat(data: TypedArray, from: TensorDType, to: TensorDType): TypedArray {
  const values = toFloat64(data, from);
  if (to === 'float64') return values === data ? values.slice() : values;
  if (to === 'float32') return Float32Array.from(values);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i]!);
  return out;
}

/** Integer → integer (bool counts as one); the index of the first value `to` cannot hold, or the converted data. */
function intToInt(data: TypedArray, to: TensorDType): TypedArray | number {
  const [lo, hi] = INT_RANGE[to]!;
  const out = allocArray(to, data.length);
  const big = to === 'int64' || to === 'uint64';
  for (let i = 0; i < data.length; i++) {
    const v = BigInt(data[i]!);
    if (to === 'bool') {
      out[i] = v === 0n ? 0 : 1;
      continue;
    }
    if (v < lo || v > hi) return i;
    (out as unknown as Array<number | bigint>)[i] = big ? v : Number(v);
  }
  return out;
}

/**
 * `data` (of dtype `from`) as dtype `to`, or a sentence saying why not. Float → float converts with rounding
 * (float64 data for a float32 input is the common case); integers convert when every value fits. Integer → float and
 * float → integer are refused: they almost always mean missing scaling or normalization.
 */
export function convertData(data: TypedArray, from: TensorDType, to: TensorDType): TypedArray | string {
  if (from === to) return data;
  if (isFloat(from) && isFloat(to)) return floatToFloat(data, from, to);
  if (!isFloat(from) && !isFloat(to)) {
    const out = intToInt(data, to);
    return typeof out === 'number' ? `element ${out} (${String(data[out])}) does not fit ${to}` : out;
  }
  return isFloat(from)
    ? `${from} data cannot feed a ${to} input (float → integer would truncate)`
    : `${from} data cannot feed a ${to} input: scale and normalize it as the model expects, then save it as ${to}`;
}
