// The inputs ORT would report for a model (its session's inputMetadata), read from the file's outline: no session, no weights.
import { DataType, dataTypeName, type ModelOutline } from '../onnx/index.js';
import type { InputMetadata } from './input-specs.js';

/** onnxruntime-node's names of tensor element types; the rest are named after ONNX's (bfloat16, complex64 …). */
const ORT_TYPES: Record<number, string> = {
  [DataType.FLOAT]: 'float32', [DataType.FLOAT16]: 'float16', [DataType.DOUBLE]: 'float64', [DataType.INT8]: 'int8',
  [DataType.UINT8]: 'uint8', [DataType.INT16]: 'int16', [DataType.UINT16]: 'uint16', [DataType.INT32]: 'int32',
  [DataType.UINT32]: 'uint32', [DataType.INT64]: 'int64', [DataType.UINT64]: 'uint64', [DataType.BOOL]: 'bool',
  [DataType.STRING]: 'string',
};

/**
 * The main graph's inputs as ORT lists them: an input that an initializer of the same name backs is not one (ORT leaves
 * those out at every IR version, checked on IR 3, 4 and 7: below IR 4 they are constants, from IR 4 on defaults that
 * need no data); a declared shape as written ('' for an unnamed dim); no declared shape reads as [] as in ORT.
 */
export function outlineInputMetadata(outline: Pick<ModelOutline, 'inputs' | 'initializers'>): InputMetadata[] {
  const initialized = new Set(outline.initializers);
  return outline.inputs.filter((input) => !initialized.has(input.name)).map((input) => {
    if (input.kind !== 'tensor') return { name: input.name, isTensor: false };
    const type = input.elemType === undefined ? undefined : ORT_TYPES[input.elemType] ?? dataTypeName(input.elemType).toLowerCase();
    return { name: input.name, isTensor: true, ...(type ? { type } : {}), shape: input.shape ?? [] };
  });
}
