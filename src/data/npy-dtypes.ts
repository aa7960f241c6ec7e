// The .npy dtype codes edgeopt reads and writes, and the typed arrays (ORT's element layouts) that hold them.
import type { TensorDType } from '../recipe/types.js';

/** Element storage per dtype, as onnxruntime-node wants it: float16 as raw bits, bool as 0/1 bytes. */
export type TypedArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array
  | Uint32Array | BigInt64Array | BigUint64Array;

/** An n-dimensional array in C (row-major) order. */
export interface NdArray {
  dtype: TensorDType;
  shape: number[];
  data: TypedArray;
}

interface DTypeInfo {
  code: string;
  size: number;
  make: (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray;
  alloc: (length: number) => TypedArray;
}

const TABLE: Record<TensorDType, DTypeInfo> = {
  float16: { code: 'f2', size: 2, make: (b, o, n) => new Uint16Array(b, o, n), alloc: (n) => new Uint16Array(n) },
  float32: { code: 'f4', size: 4, make: (b, o, n) => new Float32Array(b, o, n), alloc: (n) => new Float32Array(n) },
  float64: { code: 'f8', size: 8, make: (b, o, n) => new Float64Array(b, o, n), alloc: (n) => new Float64Array(n) },
  int8: { code: 'i1', size: 1, make: (b, o, n) => new Int8Array(b, o, n), alloc: (n) => new Int8Array(n) },
  uint8: { code: 'u1', size: 1, make: (b, o, n) => new Uint8Array(b, o, n), alloc: (n) => new Uint8Array(n) },
  int16: { code: 'i2', size: 2, make: (b, o, n) => new Int16Array(b, o, n), alloc: (n) => new Int16Array(n) },
  uint16: { code: 'u2', size: 2, make: (b, o, n) => new Uint16Array(b, o, n), alloc: (n) => new Uint16Array(n) },
  int32: { code: 'i4', size: 4, make: (b, o, n) => new Int32Array(b, o, n), alloc: (n) => new Int32Array(n) },
  uint32: { code: 'u4', size: 4, make: (b, o, n) => new Uint32Array(b, o, n), alloc: (n) => new Uint32Array(n) },
  int64: { code: 'i8', size: 8, make: (b, o, n) => new BigInt64Array(b, o, n), alloc: (n) => new BigInt64Array(n) },
  uint64: { code: 'u8', size: 8, make: (b, o, n) => new BigUint64Array(b, o, n), alloc: (n) => new BigUint64Array(n) },
  bool: { code: 'b1', size: 1, make: (b, o, n) => new Uint8Array(b, o, n), alloc: (n) => new Uint8Array(n) },
};

const BY_CODE = new Map(Object.entries(TABLE).map(([dtype, info]) => [info.code, dtype as TensorDType]));

/** The supported dtype codes, for messages: f2 f4 f8 i1 u1 i2 u2 i4 u4 i8 u8 b1. */
export const NPY_CODES: readonly string[] = Object.values(TABLE).map((t) => t.code);

export function dtypeOfCode(code: string): TensorDType | undefined {
  return BY_CODE.get(code);
}

export function codeOf(dtype: TensorDType): string {
  return TABLE[dtype].code;
}

export function itemSize(dtype: TensorDType): number {
  return TABLE[dtype].size;
}

/** A view on `buffer` (no copy); byteOffset must be a multiple of the item size. */
export function viewOf(dtype: TensorDType, buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray {
  return TABLE[dtype].make(buffer, byteOffset, length);
}

export function allocArray(dtype: TensorDType, length: number): TypedArray {
  return TABLE[dtype].alloc(length);
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function isFloat(dtype: TensorDType): boolean {
  return dtype === 'float16' || dtype === 'float32' || dtype === 'float64';
}

/** Reverses the bytes of each `size`-byte element in place (big-endian ↔ little-endian). */
export function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}
