// TensorProto ⇄ typed arrays for every ONNX element type (small floats widen to Float32Array; sub-byte ints unpack).
import { DataType } from './model-types.js';
import type { TensorProto } from './model-types.js';
import { decodeBFloat16, decodeFloat16, encodeBFloat16, encodeFloat16, MINIFLOAT_TABLES } from './float-bits.js';
import { packBits, unpackBits } from './sub-byte.js';
import { dataTypeName, tensorElementCount } from './tensor-layout.js';
import { tensorRawBytes } from './tensor-raw.js';
import { tensorError } from './model-errors.js';

export type TensorArray =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array | string[];

type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => Exclude<TensorArray, string[]>;

/** Element types decoded by reinterpreting the raw bytes. */
const DIRECT: Record<number, [ViewCtor, number]> = {
  [DataType.FLOAT]: [Float32Array, 4], [DataType.COMPLEX64]: [Float32Array, 4], [DataType.DOUBLE]: [Float64Array, 8],
  [DataType.COMPLEX128]: [Float64Array, 8], [DataType.INT8]: [Int8Array, 1], [DataType.UINT8]: [Uint8Array, 1],
  [DataType.BOOL]: [Uint8Array, 1], [DataType.INT16]: [Int16Array, 2], [DataType.UINT16]: [Uint16Array, 2],
  [DataType.INT32]: [Int32Array, 4], [DataType.UINT32]: [Uint32Array, 4], [DataType.INT64]: [BigInt64Array, 8],
  [DataType.UINT64]: [BigUint64Array, 8],
};

export interface DecodeTensorOptions {
  /** false: return a view on the tensor's own bytes when alignment allows (mutations then edit the model). Default true. */
  copy?: boolean;
}

function view(bytes: Uint8Array, ctor: ViewCtor, size: number, copy: boolean): Exclude<TensorArray, string[]> {
  const source = copy || bytes.byteOffset % size !== 0 ? new Uint8Array(bytes) : bytes;
  return new ctor(source.buffer, source.byteOffset, source.length / size);
}

function u16(bytes: Uint8Array): Uint16Array {
  return view(bytes, Uint16Array, 2, false) as Uint16Array;
}

function lookup(codes: Uint8Array, values: Float32Array): Float32Array {
  const out = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = values[codes[i] as number] as number;
  return out;
}

/**
 * Decodes a tensor into a typed array: FLOAT16, BFLOAT16, FLOAT8* and FLOAT4E2M1 → Float32Array; INT64 → BigInt64Array;
 * UINT64 → BigUint64Array; INT4/INT2 → Int8Array and UINT4/UINT2 → Uint8Array (one element per entry); BOOL → Uint8Array;
 * COMPLEX64/128 → interleaved real, imaginary; STRING → string[] (UTF-8).
 */
export function decodeTensor(tensor: TensorProto, options: DecodeTensorOptions = {}): TensorArray {
  const dataType = tensor.data_type ?? 0;
  const count = tensorElementCount(tensor);
  if (dataType === DataType.STRING) {
    const strings = tensor.string_data ?? [];
    if (strings.length !== count) {
      throw tensorError(tensor.name ?? '', `it holds ${strings.length} strings but dims [${tensor.dims.join(', ')}] need ${count}`,
        'The model file is damaged or was written by a broken exporter.');
    }
    const decoder = new TextDecoder();
    return strings.map((s) => decoder.decode(s));
  }
  const bytes = tensorRawBytes(tensor);
  const direct = DIRECT[dataType];
  if (direct) return view(bytes, direct[0], direct[1], options.copy ?? true);
  switch (dataType) {
    case DataType.FLOAT16:
      return decodeFloat16(u16(bytes));
    case DataType.BFLOAT16:
      return decodeBFloat16(u16(bytes));
    case DataType.INT4:
    case DataType.UINT4:
      return unpackBits(bytes, count, 4, dataType === DataType.INT4);
    case DataType.INT2:
    case DataType.UINT2:
      return unpackBits(bytes, count, 2, dataType === DataType.INT2);
    case DataType.FLOAT4E2M1:
      return lookup(unpackBits(bytes, count, 4, false) as Uint8Array, MINIFLOAT_TABLES.FLOAT4E2M1);
    default: {
      const name = dataTypeName(dataType) as keyof typeof MINIFLOAT_TABLES;
      const values = MINIFLOAT_TABLES[name];
      if (values) return lookup(bytes, values);
      throw tensorError(tensor.name ?? '', `decoding ${dataTypeName(dataType)} is not supported`,
        'Use tensorRawBytes for the raw bytes.', 'E_MODEL_UNSUPPORTED');
    }
  }
}

export interface EncodeTensorOptions {
  name?: string;
  /** target element type; default from the array (Float32Array → FLOAT, Uint8Array → UINT8, string[] → STRING, ...) */
  dataType?: number;
}

const DEFAULT_TYPES: Array<[abstract new (...args: never[]) => unknown, number]> = [
  [Float32Array, DataType.FLOAT], [Float64Array, DataType.DOUBLE], [Int8Array, DataType.INT8], [Uint8Array, DataType.UINT8],
  [Int16Array, DataType.INT16], [Uint16Array, DataType.UINT16], [Int32Array, DataType.INT32], [Uint32Array, DataType.UINT32],
  [BigInt64Array, DataType.INT64], [BigUint64Array, DataType.UINT64],
];

function defaultType(data: TensorArray): number {
  if (Array.isArray(data)) return DataType.STRING;
  for (const [ctor, type] of DEFAULT_TYPES) if (data instanceof ctor) return type;
  return DataType.UNDEFINED;
}

const bytesOf = (data: ArrayBufferView): Uint8Array => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

function rawFor(data: Exclude<TensorArray, string[]>, dataType: number, name: string): Uint8Array {
  const natural = defaultType(data);
  if (dataType === natural || (dataType === DataType.BOOL && data instanceof Uint8Array)) return bytesOf(data);
  if (dataType === DataType.COMPLEX64 && data instanceof Float32Array) return bytesOf(data);
  if (dataType === DataType.COMPLEX128 && data instanceof Float64Array) return bytesOf(data);
  if (data instanceof Float32Array) {
    if (dataType === DataType.FLOAT16) return bytesOf(encodeFloat16(data));
    if (dataType === DataType.BFLOAT16) return bytesOf(encodeBFloat16(data));
  }
  // a Uint16Array given for FLOAT16/BFLOAT16 already holds the bit patterns
  if (data instanceof Uint16Array && (dataType === DataType.FLOAT16 || dataType === DataType.BFLOAT16)) return bytesOf(data);
  if ((data instanceof Int8Array || data instanceof Uint8Array) && !(data instanceof Uint8ClampedArray)) {
    const numbers = data as ArrayLike<number>;
    if (dataType === DataType.INT4 || dataType === DataType.UINT4) return packBits(numbers, 4, dataType === DataType.INT4, name);
    if (dataType === DataType.INT2 || dataType === DataType.UINT2) return packBits(numbers, 2, dataType === DataType.INT2, name);
  }
  throw tensorError(name, `a ${data.constructor.name} cannot be encoded as ${dataTypeName(dataType)}`,
    'Convert the array to the matching typed array first (e.g. Float32Array for FLOAT16, Int8Array for INT4).',
    'E_TENSOR_VALUE');
}

/**
 * Builds a TensorProto holding `data` in raw_data. The raw bytes are a view on `data` when no conversion is needed
 * (do not reuse the array for something else afterwards); FLOAT16/BFLOAT16 round to nearest even.
 */
export function encodeTensor(data: TensorArray, dims: number[], options: EncodeTensorOptions = {}): TensorProto {
  const name = options.name ?? '';
  const dataType = options.dataType ?? defaultType(data);
  const complex = dataType === DataType.COMPLEX64 || dataType === DataType.COMPLEX128 ? 2 : 1;
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count * complex) {
    throw tensorError(name, `${data.length} values do not fill dims [${dims.join(', ')}] (${count * complex} values)`,
      'Pass dims whose product is the number of elements.', 'E_TENSOR_VALUE');
  }
  const tensor: TensorProto = { dims: [...dims], data_type: dataType };
  if (options.name !== undefined) tensor.name = options.name;
  if (Array.isArray(data)) {
    const encoder = new TextEncoder();
    tensor.string_data = data.map((s) => encoder.encode(s));
  } else {
    tensor.raw_data = rawFor(data, dataType, name);
  }
  return tensor;
}
