// The quantize step's `with:` params: their type (kept equal to schema.json by a test) and the checks every mode shares.

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
  calibration?: { method?: 'minmax' | 'entropy' | 'percentile' | 'auto'; percentile?: number; samples?: number; outputs?: string[] };
  block_size?: 16 | 32 | 64 | 128 | 256;
  accuracy_level?: 0 | 1 | 2 | 3 | 4;
  algorithm?: 'rtn' | 'gptq';
  keep_io_types?: boolean;
  op_block_list?: string[];
  activation_type?: 'uint8' | 'int8';
  activation_symmetric?: boolean;
  error_budget?: ErrorBudget;
}

/** Mixed precision: the output error (against the float model, on calibration data) a quantized model may have. */
export interface ErrorBudget {
  metric: 'cosine' | 'snr_db' | 'mse';
  /** cosine and snr_db: the lowest acceptable value */
  min?: number;
  /** mse: the highest acceptable value */
  max?: number;
  /** calibration samples the error is measured on (default 4) */
  samples?: number;
  /** the model outputs the budget applies to (default: every float output) */
  outputs?: string[];
}

/** Every key of QuantizeParams, once (the compiler checks this list against the interface, a test against schema.json). */
export const PARAM_KEYS: Record<keyof QuantizeParams, true> = {
  precision: true, mode: true, format: true, per_channel: true, reduce_range: true, weight_type: true, symmetric: true,
  op_types: true, exclude: true, calibration: true, block_size: true, accuracy_level: true, algorithm: true,
  keep_io_types: true, op_block_list: true, activation_type: true, activation_symmetric: true, error_budget: true,
};

export interface ParamProblem {
  /** JSON pointer inside `with` */
  pointer: string;
  message: string;
  hint?: string;
}

/** Which params belong to which kind of quantization: a param set for another kind is a mistake worth naming. */
export const PARAM_OWNERS: Partial<Record<keyof QuantizeParams, string>> = {
  block_size: 'precision int4 (blockwise weights)',
  accuracy_level: 'precision int4 (MatMulNBits)',
  algorithm: 'precision int4',
  keep_io_types: 'precision fp16',
  op_block_list: 'precision fp16',
  calibration: 'precision int8 with mode static, or precision int4 with algorithm gptq',
  format: 'precision int8 with mode static',
  activation_type: 'precision int8 with mode static',
  activation_symmetric: 'precision int8 with mode static',
  error_budget: 'precision int8 with mode static (mixed precision)',
};

/** Problems for params set here that belong to another kind of quantization (`allowed` lists this mode's own). */
export function foreignParams(params: QuantizeParams, allowed: ReadonlyArray<keyof QuantizeParams>, mode: string): ParamProblem[] {
  const problems: ParamProblem[] = [];
  for (const [key, owner] of Object.entries(PARAM_OWNERS) as Array<[keyof QuantizeParams, string]>) {
    if (params[key] !== undefined && !allowed.includes(key)) {
      problems.push({ pointer: `/${key}`, message: `${key} applies to ${owner}; it has no meaning for ${mode}`, hint: `remove ${key}` });
    }
  }
  return problems;
}
