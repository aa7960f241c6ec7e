// Element types of ONNX tensors: names, bit widths, and the byte size of a tensor's raw data.
import { DataType } from './model-types.js';
import type { TensorProto } from './model-types.js';

const NAMES = new Map<number, string>(Object.entries(DataType).map(([name, value]) => [value, name]));

/** Bits per element of each fixed-width type (raw_data layout); STRING and UNDEFINED have none. */
const BITS: Record<number, number> = {
  [DataType.FLOAT]: 32, [DataType.UINT8]: 8, [DataType.INT8]: 8, [DataType.UINT16]: 16, [DataType.INT16]: 16,
  [DataType.INT32]: 32, [DataType.INT64]: 64, [DataType.BOOL]: 8, [DataType.FLOAT16]: 16, [DataType.DOUBLE]: 64,
  [DataType.UINT32]: 32, [DataType.UINT64]: 64, [DataType.COMPLEX64]: 64, [DataType.COMPLEX128]: 128,
  [DataType.BFLOAT16]: 16, [DataType.FLOAT8E4M3FN]: 8, [DataType.FLOAT8E4M3FNUZ]: 8, [DataType.FLOAT8E5M2]: 8,
  [DataType.FLOAT8E5M2FNUZ]: 8, [DataType.UINT4]: 4, [DataType.INT4]: 4, [DataType.FLOAT4E2M1]: 4,
  [DataType.FLOAT8E8M0]: 8, [DataType.UINT2]: 2, [DataType.INT2]: 2,
};

/** 'FLOAT16' for 10; `type 99` for values this build does not know. */
export function dataTypeName(dataType: number): string {
  return NAMES.get(dataType) ?? `type ${dataType}`;
}

/** Bits per element in raw_data, or undefined for STRING / UNDEFINED / unknown types. */
export function dataTypeBits(dataType: number): number | undefined {
  return BITS[dataType];
}

/** Number of elements: the product of dims (1 for a scalar). */
export function tensorElementCount(tensor: Pick<TensorProto, 'dims'>): number {
  let count = 1;
  for (const dim of tensor.dims) count *= dim;
  return count;
}

/** Bytes of raw data the tensor needs (sub-byte types are packed and rounded up), or undefined if not fixed-width. */
export function tensorByteLength(tensor: Pick<TensorProto, 'dims' | 'data_type'>): number | undefined {
  const bits = dataTypeBits(tensor.data_type ?? 0);
  if (bits === undefined) return undefined;
  return Math.ceil((tensorElementCount(tensor) * bits) / 8);
}
