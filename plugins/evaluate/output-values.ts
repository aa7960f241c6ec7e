// An ORT output tensor as float64 values the metrics can sum (float16 decoded, 64-bit integers rounded, bools 0/1).
import { toFloat64, type TensorDType } from '../../src/api.js';

export interface OutputValues {
  values: Float64Array;
  dims: readonly number[];
}

/** The part of an ORT tensor read here. */
export interface TensorLike {
  type: string;
  dims: readonly number[];
  data: unknown;
}

const NUMERIC: ReadonlySet<string> = new Set<TensorDType>([
  'float32', 'float16', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool',
]);

export function isNumericOutput(type: string): boolean {
  return NUMERIC.has(type);
}

/** The tensor's values, or undefined for element types with no numeric meaning here (string, packed int4). */
export function outputValues(tensor: TensorLike): OutputValues | undefined {
  if (!isNumericOutput(tensor.type)) return undefined;
  return { values: toFloat64(tensor.data as never, tensor.type as TensorDType), dims: tensor.dims };
}
