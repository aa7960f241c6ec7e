// INT4 weight-only: MatMul weights to 4-bit blocks (com.microsoft MatMulNBits), by round-to-nearest or GPTQ.
import { decisionMetrics, summarizeDecisions } from '../decisions.js';
import { createExclusions } from '../exclusions.js';
import type { QuantizeMode } from '../modes.js';
import type { PackedWeight } from './blockwise.js';
import { gptqWeights } from './gptq-weights.js';
import { checkInt4Params, int4Options } from './int4-options.js';
import { surveyMatMuls, weightKey, type MatMulCandidate } from './matmul-survey.js';
import { rtnWeights } from './rtn-pool.js';
import { WeightQuantError } from '../weight-quant.js';
import { rewriteMatMuls, type RewriteResult } from './nbits-rewrite.js';

/** Float bytes of the distinct weights RTN coded. */
function rtnFloatBytes(packed: Map<MatMulCandidate, unknown>): number {
  const seen = new Map<string, number>();
  for (const c of packed.keys()) seen.set(weightKey(c), c.k * c.n * 4);
  return [...seen.values()].reduce((a, b) => a + b, 0);
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
    let gptq: Record<string, unknown> | undefined;
    const packed = new Map<MatMulCandidate, PackedWeight | WeightQuantError>();
    if (options.algorithm === 'gptq' && survey.candidates.length > 0) {
      const found = await gptqWeights(model, survey, options, ctx);
      for (const [c, p] of found.packed) packed.set(c, p);
      extra.push(...found.warnings);
      gptq = found.metrics;
    }
    ctx.progress(0.45, 'round-to-nearest INT4');
    const rtn = await rtnWeights(survey.candidates.filter((c) => !packed.has(c)), options, ctx.signal);
    for (const [c, p] of rtn.packed) packed.set(c, p);
    const result = rewriteMatMuls(model, survey, (c) => {
      const p = packed.get(c)!;
      if (p instanceof WeightQuantError) throw p;
      return p;
    }, { accuracyLevel: options.accuracyLevel, signal: ctx.signal, progress: (f, message) => ctx.progress(0.5 + 0.05 * f, message) });
    const skipped = [...survey.skipped, ...result.late];
    const rtnBytes = rtnFloatBytes(rtn.packed);
    return {
      model: result.model,
      changed: result.quantized > 0,
      warnings: passWarnings(result, summarizeDecisions(skipped, 'kept in float32'), extra),
      metrics: {
        quantized: { MatMul: result.quantized },
        algorithm: options.algorithm, block_size: options.blockSize, symmetric: options.symmetric, accuracy_level: options.accuracyLevel,
        ...decisionMetrics('skipped', skipped),
        ...decisionMetrics('excluded', survey.excluded),
        weights: result.stats,
        rtn: {
          weights_mb: Math.round(rtnBytes / 2 ** 20), ms: Math.round(rtn.ms), cpu_ms: Math.round(rtn.cpuMs), threads: rtn.threads,
          gb_per_s: rtn.ms > 0 ? Math.round((rtnBytes / 1e6 / rtn.ms) * 100) / 100 : 0,
          // per CPU-second of all threads: what one core codes when nothing else competes for it
          gb_per_cpu_s: rtn.cpuMs > 0 ? Math.round((rtnBytes / 1e6 / rtn.cpuMs) * 100) / 100 : 0,
        },
        pruned: result.pruned,
        ...(gptq ? { gptq } : {}),
      },
    };
  },
};
