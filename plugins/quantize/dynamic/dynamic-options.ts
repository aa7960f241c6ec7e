// Dynamic INT8's params: what it accepts, and its effective options with every default applied.
import { foreignParams, type ParamProblem, type QuantizeParams } from '../params.js';
import type { WeightQuantOptions } from '../weight-quant.js';
import { supportedOpTypes } from './ops/registry.js';

export interface DynamicInt8Options {
  weight: WeightQuantOptions;
  opTypes: string[];
  excludeOps: string[];
  excludeNodes: string[];
}

export const DEFAULT_OP_TYPES = ['MatMul', 'Gemm'];

export function checkDynamicParams(params: QuantizeParams): ParamProblem[] {
  const problems = foreignParams(params, [], 'precision int8 with mode dynamic (activations are quantized at run time)');
  const format = problems.find((p) => p.pointer === '/format');
  if (format && params.format === 'qoperator') problems.splice(problems.indexOf(format), 1); // what dynamic writes anyway
  const supported = supportedOpTypes();
  (params.op_types ?? []).forEach((op, i) => {
    if (!supported.includes(op)) {
      problems.push({ pointer: `/op_types/${i}`, message: `${op} is not quantized by dynamic INT8 in this version; supported: ${supported.join(', ')}`, hint: `remove ${op} from op_types` });
    }
  });
  return problems;
}

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
