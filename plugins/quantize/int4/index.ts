// INT4 weight-only: MatMul weights to 4-bit blocks (com.microsoft MatMulNBits), by round-to-nearest or GPTQ.
import { decodeTensor } from '../../../src/api.js';
import { decisionMetrics, summarizeDecisions } from '../decisions.js';
import { createExclusions } from '../exclusions.js';
import type { QuantizeMode } from '../modes.js';
import { quantizeBlockwise } from './blockwise.js';
import { gptqWeights } from './gptq-weights.js';
import { checkInt4Params, int4Options } from './int4-options.js';
import { surveyMatMuls, type MatMulCandidate } from './matmul-survey.js';
import { rewriteMatMuls, type RewriteResult } from './nbits-rewrite.js';

/** Round-to-nearest of a candidate's weight, read from the model's own bytes (a view when aligned). */
function rtn(candidate: MatMulCandidate, blockSize: number, symmetric: boolean) {
  const values = decodeTensor(candidate.weight.tensor, { copy: false }) as Float32Array;
  return quantizeBlockwise(values, candidate.k, candidate.n, { blockSize, symmetric });
}

function passWarnings(result: RewriteResult, skipped: ReturnType<typeof summarizeDecisions>, extra: string[]): string[] {
  const warnings: string[] = [];
  if (result.quantized === 0) warnings.push('no MatMul was quantized to int4: the model is passed on unchanged');
  if (skipped) warnings.push(skipped);
  return [...warnings, ...extra];
}

export const int4Mode: QuantizeMode = {
  id: 'int4',
  label: 'precision int4',
  usesCalibration: (params) => params.algorithm === 'gptq',
  check: checkInt4Params,
  async run(model, params, ctx) {
    const options = int4Options(params);
    const exclusions = createExclusions([], options.excludeNodes, ['MatMul']);
    const survey = surveyMatMuls(model, exclusions);
    const extra: string[] = [];
    let packedFor = (c: MatMulCandidate) => rtn(c, options.blockSize, options.symmetric);
    let gptq: Record<string, unknown> | undefined;
    if (options.algorithm === 'gptq' && survey.candidates.length > 0) {
      const found = await gptqWeights(model, survey, options, ctx);
      packedFor = (c) => {
        const packed = found.packed.get(c);
        if (packed instanceof Error) throw packed;
        return packed ?? rtn(c, options.blockSize, options.symmetric);
      };
      extra.push(...found.warnings);
      gptq = found.metrics;
    }
    const result = rewriteMatMuls(model, survey, packedFor, {
      accuracyLevel: options.accuracyLevel, signal: ctx.signal,
      progress: (f, message) => ctx.progress(0.05 + 0.5 * f, message),
    });
    const skipped = [...survey.skipped, ...result.late];
    const throughput = result.stats.ms > 0 ? result.stats.floatBytes / 1e6 / result.stats.ms : 0;
    return {
      model: result.model,
      changed: result.quantized > 0,
      warnings: passWarnings(result, summarizeDecisions(skipped, 'kept in float32'), extra),
      metrics: {
        quantized: { MatMul: result.quantized },
        algorithm: options.algorithm, block_size: options.blockSize, symmetric: options.symmetric, accuracy_level: options.accuracyLevel,
        ...decisionMetrics('skipped', skipped),
        ...decisionMetrics('excluded', survey.excluded),
        weights: { ...result.stats, ms: Math.round(result.stats.ms), gb_per_s: Math.round(throughput * 100) / 100 },
        pruned: result.pruned,
        ...(gptq ? { gptq } : {}),
      },
    };
  },
};
