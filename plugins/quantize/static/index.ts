// Static INT8 (QDQ): activation ranges from calibration data, Q/DQ pairs placed where ONNX Runtime fuses them into
// integer kernels (QLinearConv, QLinearMatMul, QGemm, QLinearAdd, ...), int8 per-channel weights and int32 biases.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createNameGenerator, opsetVersion, type ModelProto, type NameGenerator, type StepContext } from '../../../src/api.js';
import { collectRanges } from '../calibration/collect-ranges.js';
import type { ActivationRange } from '../calibration/range-methods.js';
import { ruleRanges } from '../calibration/range-rules.js';
import { autoSampleProblem, HELD_OUT_PER_HALF, rangeSelectionNote, selectRangeRule } from './range-selection.js';
import { DECISIONS_IN_METRICS, decisionMetrics, summarizeDecisions, type NodeDecision } from '../decisions.js';
import type { ErrorBudget } from '../params.js';
import { chooseMixedPrecision, mixedPrecisionNote, type MixedPrecisionResult } from './mixed-precision.js';
import { firstFeeds } from './calibration-data.js';
import { createExclusions, unusedGlobsWarning } from '../exclusions.js';
import type { ModeOutcome, QuantizeMode } from '../modes.js';
import { openCalibration } from './calibration-data.js';
import { foldBatchNorms } from './fold-batch-norm.js';
import { STATIC_HANDLERS } from './ops/registry.js';
import { placeQdq } from './placement.js';
import { QOPERATOR_NOTE, toQOperator } from './qoperator.js';
import { rewriteQdq } from './qdq-rewrite.js';
import { MIN_OPSET, raisedOpset } from './raise-opset.js';
import { checkStaticParams, staticInt8Options, type StaticInt8Options } from './static-options.js';
import { StaticWeights } from './static-weights.js';
import { calibrationTensors, surveyStatic, type Survey } from './survey.js';

/**
 * Only float compute ops left in float are worth a warning: data-movement ops and Relu follow them by design, and an
 * op on integers (a Concat of shapes) was never a candidate.
 */
const isCompute = (d: NodeDecision): boolean => STATIC_HANDLERS.get(d.opType)?.kind === 'compute' && !/ is [A-Z0-9]+, not float32$/.test(d.reason);

interface Findings {
  floatCompute: NodeDecision[];
  randomData: boolean;
  clampedBias: number;
  opset: { before: number; after: number; converted: number };
  format: StaticInt8Options['format'];
  unusedGlobs: string[];
  /** com.microsoft Fused* nodes (an earlier optimize step at level extended): not quantizable */
  fusedNodes: number;
  mixed?: { result: MixedPrecisionResult; budget: ErrorBudget };
}

function staticWarnings(f: Findings): string[] {
  const warnings: string[] = [];
  const kept = summarizeDecisions(f.floatCompute, 'kept in float32');
  if (kept) warnings.push(kept);
  if (f.randomData) warnings.push('calibration ran on seeded random data: ranges from random inputs rarely match real ones; give data.calibration a source folder of real samples');
  if (f.clampedBias > 0) warnings.push(`${f.clampedBias} bias value(s) exceeded int32 at activation scale × weight scale and were clamped`);
  if (f.opset.after !== f.opset.before) warnings.push(`the default-domain opset was raised from ${f.opset.before} to ${f.opset.after} (per-channel DequantizeLinear needs ${MIN_OPSET}; ${f.opset.converted} node(s) rewritten to their new form)`);
  const unused = unusedGlobsWarning(f.unusedGlobs);
  if (unused) warnings.push(unused);
  if (f.format === 'qoperator') warnings.push(QOPERATOR_NOTE);
  if (f.fusedNodes > 0) warnings.push(`${f.fusedNodes} com.microsoft Fused* node(s) (ORT's level-extended fusions, e.g. from an optimize step before this one) stay float: static INT8 quantizes standard ops; put quantize before optimize, or optimize at level basic first`);
  if (f.mixed) warnings.push(mixedPrecisionNote(f.mixed.result, f.mixed.budget));
  return warnings;
}

async function quantizeStatic(input: ModelProto, options: StaticInt8Options, ctx: StepContext): Promise<ModeOutcome> {
  const raised = raisedOpset(input);
  const names = createNameGenerator(raised.model);
  const { model, folded: batchNorms } = foldBatchNorms(raised.model, names);
  const exclusions = createExclusions(options.excludeOps, options.excludeNodes, options.opTypes);
  const survey = surveyStatic(model, options.opTypes, exclusions);
  if (!survey.candidates.some((c) => c.handler.kind === 'compute')) {
    return {
      model: input, changed: false, metrics: decisionMetrics('skipped', survey.skipped),
      warnings: [`no node can be quantized statically (op types ${options.opTypes.join(', ')}): the model is passed on unchanged`],
    };
  }
  const samples = await openCalibration(ctx, options.calibration.samples);
  const scratchDir = path.join(ctx.tmpDir, 'calibration');
  await mkdir(scratchDir, { recursive: true });
  const auto = options.calibration.method === 'auto';
  if (auto) {
    // before the capture, which can take minutes
    const tooFew = autoSampleProblem(samples.samples);
    if (tooFew) throw tooFew;
  }
  const calibration = await collectRanges(model, calibrationTensors(model, survey), {
    method: options.calibration.method, percentile: options.calibration.percentile, samples, ep: ctx.target.ep,
    threads: ctx.target.threads, scratchDir, signal: ctx.signal, ...(auto ? { folds: 2 } : {}),
    progress: (f, message) => ctx.progress(0.05 + (auto ? 0.25 : 0.45) * f, message),
  });
  const buildWith = (ranges: ReadonlyMap<string, ActivationRange>, keepFloat: Set<string>, weights: StaticWeights, names: NameGenerator) => {
    const placement = placeQdq(model, survey, ranges, { activation: options.activation, keepFloat });
    return { placement, ...rewriteQdq(model, survey, placement, { names, weights, activationType: options.activation.type }) };
  };
  const selection = auto
    ? await selectRangeRule(model, {
      halves: calibration.folds,
      // each candidate with its own weights and names: their caches and counts are the final model's alone
      build: (ranges) => {
        const scratchNames = createNameGenerator(model);
        return buildWith(ranges, new Set(), new StaticWeights(options.weight, survey.constants, scratchNames), scratchNames).model;
      },
      samples: await firstFeeds(samples, 2 * HELD_OUT_PER_HALF, ctx.signal), ep: ctx.target.ep, threads: ctx.target.threads, scratchDir, signal: ctx.signal,
      ...(options.calibration.outputs ? { outputs: options.calibration.outputs } : {}),
      progress: (f, message) => ctx.progress(0.3 + 0.2 * f, message),
    })
    : undefined;
  const ranges = selection ? ruleRanges(calibration.observed!, selection.rule) : calibration.ranges;
  // the histograms are not needed past the ranges (a large model has thousands)
  calibration.folds.length = 0;
  calibration.observed?.clear();
  if (selection) ctx.log.info(rangeSelectionNote(selection));
  ctx.progress(0.5, 'placing quantize/dequantize pairs');
  const weights = new StaticWeights(options.weight, survey.constants, names);
  const build = (keepFloat: Set<string>) => buildWith(ranges, keepFloat, weights, names);
  const mixed = options.errorBudget
    ? await chooseMixedPrecision(model, {
      budget: options.errorBudget, build: (keep) => build(keep).model, samples: await firstFeeds(samples, options.errorBudget.samples ?? 4, ctx.signal),
      layers: survey.candidates.filter((c) => c.handler.kind === 'compute').map((c) => ({ label: c.label, opType: c.node.op_type ?? '', cost: layerCost(c, calibration.bytes, survey) })),
      ep: ctx.target.ep, threads: ctx.target.threads, scratchDir, signal: ctx.signal,
      progress: (f, message) => ctx.progress(0.5 + 0.08 * f, `mixed precision: ${message}`),
    })
    : undefined;
  const { placement, ...built } = build(mixed?.keepFloat ?? new Set());
  const output = options.format === 'qoperator' ? await toQOperator(built.model, ctx, scratchDir) : built.model;
  // layers mixed precision keeps in float are reported as such, not as skipped
  const skipped = [...survey.skipped, ...placement.float.filter((d) => !mixed?.keepFloat.has(d.node))];
  return {
    model: output, changed: true,
    warnings: staticWarnings({
      floatCompute: skipped.filter(isCompute), randomData: samples.layout === 'random', clampedBias: weights.stats.clampedBias,
      opset: { before: raised.before, after: opsetVersion(output, '') ?? raised.before, converted: raised.converted },
      format: options.format, unusedGlobs: exclusions.unusedGlobs(),
      fusedNodes: model.graph!.node.filter((n) => n.domain === 'com.microsoft' && (n.op_type ?? '').startsWith('Fused')).length, ...(mixed && options.errorBudget ? { mixed: { result: mixed, budget: options.errorBudget } } : {}),
    }),
    metrics: {
      quantized: built.quantized, folded_activations: built.folded, folded_batch_norms: batchNorms, quantized_tensors: built.qdqPairs,
      calibration: { method: options.calibration.method, ...(selection ? { range_rule: selection } : {}), ...calibration.capture },
      ...decisionMetrics('skipped', skipped), ...decisionMetrics('excluded', survey.excluded),
      weights: weights.stats, format: options.format,
      ...(mixed ? { mixed_precision: { ...mixed, keepFloat: undefined, kept: mixed.kept.slice(0, DECISIONS_IN_METRICS), kept_count: mixed.kept.length } } : {}),
    },
  };
}

/** Multiply-adds of a layer, roughly: output elements × weight elements per output channel (1 for weightless ops). */
function layerCost(c: Survey['candidates'][number], bytes: Map<string, number>, survey: Survey): number {
  const outputs = (bytes.get(c.node.output[0] ?? '') ?? 4) / 4;
  const weight = c.plan.weight ? survey.constants.get(c.node.input[c.plan.weight.input] ?? '') : undefined;
  const perChannel = weight && c.plan.weight ? weight.dims.reduce((a, b) => a * Number(b), 1) / c.plan.weight.layout.channels : 1;
  return outputs * perChannel;
}

export const staticInt8Mode: QuantizeMode = {
  id: 'int8-static',
  label: 'precision int8 with mode static',
  usesCalibration: true,
  check: checkStaticParams,
  run: (model, params, ctx) => quantizeStatic(model, staticInt8Options(params), ctx),
};
