// Dynamic INT8: weights quantized offline, activations at run time (DynamicQuantizeLinear); for MatMul/Gemm-heavy graphs.
import { decisionMetrics, summarizeDecisions } from '../decisions.js';
import { unusedGlobsWarning } from '../exclusions.js';
import type { QuantizeMode } from '../modes.js';
import { checkDynamicParams, dynamicInt8Options } from './dynamic-options.js';
import { quantizeModel, type PassResult } from './model-pass.js';
import { DYNAMIC_HANDLERS } from './ops/registry.js';

function passWarnings(result: PassResult, opTypes: string[]): string[] {
  const warnings: string[] = [];
  if (!result.changed) warnings.push(`no node was quantized (op types ${opTypes.join(', ')}): the model is passed on unchanged`);
  const skipped = summarizeDecisions(result.skipped, 'kept in float32');
  if (skipped) warnings.push(skipped);
  for (const [opType, count] of Object.entries(result.quantized)) {
    const caveat = DYNAMIC_HANDLERS.get(opType)?.caveat;
    if (caveat && count > 0) warnings.push(`${count} ${opType} node(s) quantized: ${caveat}`);
  }
  if (result.weights.madeSymmetric > 0) {
    warnings.push(`${result.weights.madeSymmetric} Conv weight(s) quantized symmetric per channel although symmetric is false: ONNX Runtime's ConvInteger takes one weight zero point, so per-channel zero points cannot differ (per_channel: false keeps them asymmetric)`);
  }
  const unused = unusedGlobsWarning(result.unusedGlobs);
  if (unused) warnings.push(unused);
  if (result.inertExcludedOps.length) warnings.push(`exclude.ops ${result.inertExcludedOps.join(', ')} are not among the quantized op types, so excluding them changes nothing`);
  if (result.functionNodes > 0) warnings.push(`${result.functionNodes} candidate node(s) inside model-local functions were left in float32 (functions are not rewritten)`);
  if (result.opset.after !== result.opset.before) {
    warnings.push(`the default-domain opset was raised from ${result.opset.before} to ${result.opset.after} (the quantized ops need it; ${result.opset.convertedNodes} node(s) were rewritten to their new form)`);
  }
  return warnings;
}

export const dynamicInt8Mode: QuantizeMode = {
  id: 'int8-dynamic',
  label: 'precision int8 with mode dynamic',
  usesCalibration: false,
  check: checkDynamicParams,
  async run(model, params, ctx) {
    const options = dynamicInt8Options(params);
    const result = quantizeModel(model, { ...options, signal: ctx.signal, progress: (f, message) => ctx.progress(0.05 + 0.55 * f, message) });
    return {
      model: result.model,
      changed: result.changed,
      warnings: passWarnings(result, options.opTypes),
      metrics: {
        quantized: result.quantized,
        ...decisionMetrics('skipped', result.skipped),
        ...decisionMetrics('excluded', result.excluded),
        opset: result.opset,
        weights: result.weights,
        pruned: result.pruned,
      },
    };
  },
};
