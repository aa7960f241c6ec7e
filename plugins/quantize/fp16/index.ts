// FP16: weights and compute to float16 (Casts where float32 remains), for smaller files and fp16-capable EPs.
import { decisionMetrics, summarizeDecisions } from '../decisions.js';
import { unusedGlobsWarning } from '../exclusions.js';
import type { QuantizeMode } from '../modes.js';
import { convertToHalf, type HalfResult } from './convert-model.js';
import { epHalfWarning } from './ep-half-kernels.js';
import { checkFp16Params, fp16Options } from './fp16-options.js';

const NAMED = 5;

function adjustedWarnings(result: HalfResult): string[] {
  const warnings: string[] = [];
  const list = (key: 'clamped' | 'raised'): string => {
    const hits = result.initializers.adjusted.filter((a) => a[key] > 0);
    const named = hits.slice(0, NAMED).map((a) => `'${a.tensor}' (${a[key]})`).join(', ');
    return `${named}${hits.length > NAMED ? ` and ${hits.length - NAMED} more tensor(s)` : ''}`;
  };
  const clamped = result.initializers.adjusted.reduce((n, a) => n + a.clamped, 0);
  const raised = result.initializers.adjusted.reduce((n, a) => n + a.raised, 0);
  if (clamped) warnings.push(`${clamped} weight value(s) beyond float16's range were clamped to ±65504: ${list('clamped')}`);
  if (raised) warnings.push(`${raised} non-zero weight value(s) below float16's smallest (2^-24) were raised to ±2^-24 so they stay non-zero: ${list('raised')}`);
  return warnings;
}

function passWarnings(result: HalfResult, ep: readonly string[]): string[] {
  const warnings: string[] = [];
  if (!result.changed) warnings.push('no float32 tensor was converted to float16: the model is passed on unchanged');
  const kept = summarizeDecisions(result.kept, 'kept in float32');
  if (kept) warnings.push(kept);
  warnings.push(...adjustedWarnings(result));
  const unused = unusedGlobsWarning(result.unusedGlobs, 'node');
  if (unused) warnings.push(unused);
  const epWarning = result.changed ? epHalfWarning(ep, result.converted) : undefined;
  if (epWarning) warnings.push(epWarning);
  return warnings;
}

export const fp16Mode: QuantizeMode = {
  id: 'fp16',
  label: 'precision fp16',
  usesCalibration: false,
  check: checkFp16Params,
  async run(model, params, ctx) {
    const options = fp16Options(params);
    ctx.progress(0.05, 'converting to float16');
    const result = convertToHalf(model, options, ctx.signal);
    if ('refused' in result) return { model, changed: false, warnings: [`nothing was converted: ${result.refused}`], metrics: {} };
    const { adjusted, ...initializers } = result.initializers;
    return {
      model: result.model,
      changed: result.changed,
      warnings: passWarnings(result, ctx.target.ep),
      metrics: {
        converted: result.converted,
        ...decisionMetrics('kept_float32', result.kept),
        initializers: { ...initializers, adjusted: adjusted.slice(0, 50) },
        casts_inserted: result.casts,
        casts_folded: result.folded,
        constants_hoisted: result.hoistedConstants,
        keep_io_types: options.keepIoTypes,
      },
    };
  },
};
