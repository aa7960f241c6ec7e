// Test support: TensorProto ⇄ onnxruntime-node tensors, and the tolerance check ONNX's backend tests use.
import ort from 'onnxruntime-node';
import {
  DataType, decodeFloat16, decodeTensor, tensorRawBytes, type TensorArray, type TensorProto,
} from '../../../src/onnx/index.js';

const ORT_TYPES: Record<number, ort.Tensor.Type> = {
  [DataType.FLOAT]: 'float32', [DataType.DOUBLE]: 'float64', [DataType.INT8]: 'int8', [DataType.UINT8]: 'uint8',
  [DataType.INT16]: 'int16', [DataType.UINT16]: 'uint16', [DataType.INT32]: 'int32', [DataType.UINT32]: 'uint32',
  [DataType.INT64]: 'int64', [DataType.UINT64]: 'uint64', [DataType.BOOL]: 'bool', [DataType.STRING]: 'string',
  [DataType.FLOAT16]: 'float16',
};

/** Whether onnxruntime-node's JS layer accepts tensors of this ONNX element type. */
export function ortSupports(dataType: number): boolean {
  return ORT_TYPES[dataType] !== undefined;
}

/** An ORT tensor holding the TensorProto's values, or undefined when ort-node cannot take that type (bf16, fp8, int4). */
export function toOrtTensor(tensor: TensorProto): ort.Tensor | undefined {
  const type = ORT_TYPES[tensor.data_type ?? 0];
  if (!type) return undefined;
  const dims = tensor.dims;
  if (type === 'float16') {
    const raw = tensorRawBytes(tensor);
    return new ort.Tensor('float16', new Uint16Array(new Uint8Array(raw).buffer), dims);
  }
  return new ort.Tensor(type, decodeTensor(tensor) as never, dims);
}

/** Values of an ORT output as our codec would decode them (float16 widened to float32). */
export function ortValues(tensor: ort.Tensor): TensorArray {
  if (tensor.type === 'float16') return decodeFloat16(tensor.data as Uint16Array);
  return tensor.data as TensorArray;
}

export interface Mismatch {
  index: number;
  actual: unknown;
  expected: unknown;
}

/** First element where |actual - expected| > atol + rtol·|expected| (NaN matches NaN; ints, bools, strings exact). */
export function firstMismatch(actual: TensorArray, expected: TensorArray, rtol = 1e-3, atol = 1e-7): Mismatch | 'length' | undefined {
  if (actual.length !== expected.length) return 'length';
  const floats = actual instanceof Float32Array || actual instanceof Float64Array;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (floats) {
      const x = a as number;
      const y = e as number;
      if (Number.isNaN(y) ? Number.isNaN(x) : x === y || Math.abs(x - y) <= atol + rtol * Math.abs(y)) continue;
      return { index: i, actual: a, expected: e };
    }
    if (a !== e) return { index: i, actual: a, expected: e };
  }
  return undefined;
}

/** True when both outputs hold the same bits (used to compare two runs of the same graph). */
export function sameValues(a: TensorArray, b: TensorArray): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
}
