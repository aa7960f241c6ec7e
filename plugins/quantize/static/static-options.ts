// Static INT8's params: what it accepts, and its effective options with every default applied.
import { foreignParams, type ErrorBudget, type ParamProblem, type QuantizeParams } from '../params.js';
import type { CalibrationMethod } from '../calibration/range-methods.js';
import { DEFAULT_PERCENTILE } from '../calibration/range-methods.js';
import type { WeightQuantOptions } from '../weight-quant.js';
import { staticOpTypes } from './ops/registry.js';

export interface StaticInt8Options {
  weight: WeightQuantOptions;
  activation: { type: 'uint8' | 'int8'; symmetric: boolean };
  /** op types to quantize (every supported one by default) */
  opTypes: string[];
  excludeOps: string[];
  excludeNodes: string[];
  calibration: { method: CalibrationMethod; percentile: number; samples?: number; outputs?: string[] };
  format: 'qdq' | 'qoperator';
  errorBudget?: ErrorBudget;
}

const MODE = 'precision int8 with mode static';

function budgetProblems(budget: ErrorBudget | undefined): ParamProblem[] {
  if (!budget) return [];
  const wantsMax = budget.metric === 'mse';
  const bound = wantsMax ? budget.max : budget.min;
  const problems: ParamProblem[] = [];
  if (bound === undefined) {
    problems.push({ pointer: '/error_budget', message: `error_budget with metric ${budget.metric} needs ${wantsMax ? 'max' : 'min'}`, hint: wantsMax ? 'e.g. error_budget: { metric: mse, max: 0.001 }' : `e.g. error_budget: { metric: ${budget.metric}, min: ${budget.metric === 'cosine' ? 0.999 : 30} }` });
  }
  const stray = wantsMax ? 'min' : 'max';
  if (budget[stray] !== undefined) problems.push({ pointer: `/error_budget/${stray}`, message: `${stray} has no meaning for metric ${budget.metric} (${wantsMax ? 'lower is better' : 'higher is better'})`, hint: `use ${wantsMax ? 'max' : 'min'}` });
  if (budget.metric === 'cosine' && budget.min !== undefined && (budget.min > 1 || budget.min < -1)) {
    problems.push({ pointer: '/error_budget/min', message: `a cosine similarity lies in [-1, 1]; ${budget.min} cannot be reached`, hint: 'e.g. min: 0.999' });
  }
  return problems;
}

export function checkStaticParams(params: QuantizeParams): ParamProblem[] {
  const problems = foreignParams(params, ['calibration', 'format', 'activation_type', 'activation_symmetric', 'error_budget'], MODE);
  const supported = staticOpTypes();
  (params.op_types ?? []).forEach((op, i) => {
    if (!supported.includes(op)) problems.push({ pointer: `/op_types/${i}`, message: `${op} is not quantized by static INT8 in this version; supported: ${supported.join(', ')}`, hint: `remove ${op} from op_types` });
  });
  if (params.activation_type === 'int8' && (params.weight_type ?? 'int8') !== 'int8') {
    problems.push({ pointer: '/weight_type', message: 'int8 activations need int8 weights: ONNX Runtime fuses no QLinearConv/QLinearMatMul for int8 × uint8', hint: 'remove weight_type, or use activation_type: uint8' });
  }
  if (params.calibration?.percentile !== undefined && (params.calibration.method ?? 'minmax') !== 'percentile') {
    problems.push({ pointer: '/calibration/percentile', message: `percentile has no meaning for calibration method ${params.calibration.method ?? 'minmax'}`, hint: 'set method: percentile, or remove percentile' });
  }
  if (params.calibration?.outputs !== undefined && params.calibration.method !== 'auto') {
    problems.push({ pointer: '/calibration/outputs', message: `outputs choose the range rule of calibration method auto; it has no meaning for method ${params.calibration.method ?? 'minmax'}`, hint: 'set method: auto, or remove outputs' });
  }
  problems.push(...budgetProblems(params.error_budget));
  return problems;
}

export function staticInt8Options(params: QuantizeParams): StaticInt8Options {
  const type = params.weight_type ?? 'int8';
  const method = params.calibration?.method ?? 'minmax';
  return {
    weight: { type, symmetric: params.symmetric ?? type === 'int8', reduceRange: params.reduce_range ?? false, perChannel: params.per_channel ?? true },
    activation: { type: params.activation_type ?? 'uint8', symmetric: params.activation_symmetric ?? false },
    opTypes: params.op_types ?? staticOpTypes(),
    excludeOps: params.exclude?.ops ?? [],
    excludeNodes: params.exclude?.nodes ?? [],
    calibration: {
      method, percentile: params.calibration?.percentile ?? DEFAULT_PERCENTILE,
      ...(params.calibration?.samples ? { samples: params.calibration.samples } : {}),
      ...(params.calibration?.outputs ? { outputs: params.calibration.outputs } : {}),
    },
    format: params.format ?? 'qdq',
    ...(params.error_budget ? { errorBudget: params.error_budget } : {}),
  };
}
