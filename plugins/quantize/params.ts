// The quantize step's `with:` params: their type (kept equal to schema.json by a test), defaults, and what this version refuses.
import { supportedOpTypes } from './ops/registry.js';
import type { WeightQuantOptions } from './weight-quant.js';

export interface QuantizeParams {
  precision: 'int8' | 'int4' | 'fp16';
  mode?: 'dynamic' | 'static';
  format?: 'qdq' | 'qoperator';
  per_channel?: boolean;
  reduce_range?: boolean;
  weight_type?: 'int8' | 'uint8';
  symmetric?: boolean;
  op_types?: string[];
  exclude?: { ops?: string[]; nodes?: string[] };
  calibration?: { method?: 'minmax' | 'entropy' | 'percentile'; percentile?: number; samples?: number };
  block_size?: 16 | 32 | 64 | 128 | 256;
  accuracy_level?: 0 | 1 | 2 | 3 | 4;
  algorithm?: 'rtn' | 'gptq';
  keep_io_types?: boolean;
  op_block_list?: string[];
}

/** Every key of QuantizeParams, once (the compiler checks this list against the interface, a test against schema.json). */
export const PARAM_KEYS: Record<keyof QuantizeParams, true> = {
  precision: true, mode: true, format: true, per_channel: true, reduce_range: true, weight_type: true, symmetric: true,
  op_types: true, exclude: true, calibration: true, block_size: true, accuracy_level: true, algorithm: true,
  keep_io_types: true, op_block_list: true,
};

export interface ParamProblem {
  /** JSON pointer inside `with` */
  pointer: string;
  message: string;
  hint?: string;
}

/** Dynamic INT8 settings with every default applied. */
export interface DynamicInt8Options {
  weight: WeightQuantOptions;
  opTypes: string[];
  excludeOps: string[];
  excludeNodes: string[];
}

export const DEFAULT_OP_TYPES = ['MatMul', 'Gemm'];

const NOT_YET = 'is not available in this version of the quantize plugin';
const USE_DYNAMIC = 'use precision int8 with mode dynamic';

// params that belong to a precision or mode this version does not implement
const FOREIGN: Array<{ key: keyof QuantizeParams; belongsTo: string }> = [
  { key: 'block_size', belongsTo: 'precision int4 (blockwise weights)' },
  { key: 'accuracy_level', belongsTo: 'precision int4 (MatMulNBits)' },
  { key: 'algorithm', belongsTo: 'precision int4' },
  { key: 'keep_io_types', belongsTo: 'precision fp16' },
  { key: 'op_block_list', belongsTo: 'precision fp16' },
];

/** Problems that keep a recipe from running with this version; empty when the params are usable. */
export function checkParams(params: QuantizeParams): ParamProblem[] {
  const problems: ParamProblem[] = [];
  if (params.precision !== 'int8') {
    problems.push({ pointer: '/precision', message: `precision ${params.precision} ${NOT_YET}; ${USE_DYNAMIC}`, hint: `set precision: int8 (dynamic INT8 is what this version implements)` });
  }
  if (params.mode === 'static') {
    problems.push({
      pointer: '/mode', message: `mode static (calibrated activation ranges) ${NOT_YET}; ${USE_DYNAMIC}`,
      hint: 'set mode: dynamic (activations are then quantized at run time, no calibration data needed)',
    });
  }
  if (problems.length > 0) return problems;
  if (params.format === 'qdq') {
    problems.push({
      pointer: '/format', message: 'format qdq needs mode static, which is not available in this version; dynamic quantization writes integer operators (MatMulInteger, ConvInteger)',
      hint: 'remove format, or set format: qoperator',
    });
  }
  if (params.calibration !== undefined) {
    problems.push({
      pointer: '/calibration', message: 'calibration applies to mode static, which is not available in this version; mode dynamic measures activation ranges at run time',
      hint: 'remove calibration',
    });
  }
  for (const { key, belongsTo } of FOREIGN) {
    if (params[key] !== undefined) {
      problems.push({ pointer: `/${key}`, message: `${key} applies to ${belongsTo}, which ${NOT_YET}; it has no meaning for precision int8`, hint: `remove ${key}` });
    }
  }
  const supported = supportedOpTypes();
  (params.op_types ?? []).forEach((op, i) => {
    if (!supported.includes(op)) {
      problems.push({ pointer: `/op_types/${i}`, message: `${op} is not quantized by dynamic INT8 in this version; supported: ${supported.join(', ')}`, hint: `remove ${op} from op_types` });
    }
  });
  return problems;
}

/** The effective options of a checked params object. */
export function dynamicInt8Options(params: QuantizeParams): DynamicInt8Options {
  const type = params.weight_type ?? 'int8';
  return {
    weight: {
      type,
      symmetric: params.symmetric ?? type === 'int8',
      reduceRange: params.reduce_range ?? false,
      perChannel: params.per_channel ?? true,
    },
    opTypes: params.op_types ?? DEFAULT_OP_TYPES,
    excludeOps: params.exclude?.ops ?? [],
    excludeNodes: params.exclude?.nodes ?? [],
  };
}
