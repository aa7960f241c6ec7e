// INT4's params: what it accepts, and its effective options with every default applied.
import { foreignParams, type ParamProblem, type QuantizeParams } from '../params.js';

export interface Int4Options {
  blockSize: 16 | 32 | 64 | 128 | 256;
  symmetric: boolean;
  /** MatMulNBits' accuracy_level (0: unset, the attribute is left out) */
  accuracyLevel: 0 | 1 | 2 | 3 | 4;
  algorithm: 'rtn' | 'gptq';
  excludeNodes: string[];
  /** GPTQ: calibration samples to use (default: all the dataset has) */
  calibrationSamples?: number;
}

export function checkInt4Params(params: QuantizeParams): ParamProblem[] {
  const gptq = params.algorithm === 'gptq';
  const problems = foreignParams(params, ['block_size', 'accuracy_level', 'algorithm', ...(gptq ? ['calibration' as const] : [])], 'precision int4');
  // GPTQ reads calibration.samples; how activation ranges are taken (method, percentile) means nothing to it
  for (const key of ['method', 'percentile'] as const) {
    if (gptq && params.calibration?.[key] !== undefined) {
      problems.push({ pointer: `/calibration/${key}`, message: `calibration.${key} applies to precision int8 with mode static; GPTQ uses the calibration activations themselves`, hint: `remove calibration.${key}` });
    }
  }
  const integer: Array<keyof QuantizeParams> = ['mode', 'format', 'per_channel', 'reduce_range', 'weight_type'];
  for (const key of integer) {
    if (params[key] !== undefined) {
      problems.push({ pointer: `/${key}`, message: `${key} applies to precision int8; precision int4 quantizes MatMul weights blockwise (MatMulNBits)`, hint: `remove ${key} (block_size, symmetric and accuracy_level shape int4)` });
    }
  }
  for (const [i, op] of (params.op_types ?? []).entries()) {
    if (op !== 'MatMul') problems.push({ pointer: `/op_types/${i}`, message: `${op} is not quantized by int4 in this version; supported: MatMul`, hint: `remove ${op} from op_types` });
  }
  if (params.exclude?.ops?.length && !params.exclude.ops.every((op) => op === 'MatMul')) {
    problems.push({ pointer: '/exclude/ops', message: 'int4 quantizes MatMul only, so excluding other op types changes nothing', hint: 'exclude nodes by name with exclude.nodes' });
  }
  return problems;
}

export function int4Options(params: QuantizeParams): Int4Options {
  return {
    blockSize: params.block_size ?? 32,
    symmetric: params.symmetric ?? true,
    accuracyLevel: params.accuracy_level ?? 0,
    algorithm: params.algorithm ?? 'rtn',
    excludeNodes: params.exclude?.ops?.includes('MatMul') ? ['*'] : params.exclude?.nodes ?? [],
    ...(params.calibration?.samples ? { calibrationSamples: params.calibration.samples } : {}),
  };
}
