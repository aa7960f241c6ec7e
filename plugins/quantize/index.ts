// `quantize`: rewrites the model's weights (and where the mode says, activations) to lower precision, then proves the
// result loads in ONNX Runtime and measures its outputs against the input model.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EdgeoptError, readModel, writeModel, type JSONSchema, type Plugin, type StepContext } from '../../src/api.js';
import { quantizeModel, type NodeDecision, type PassResult } from './model-pass.js';
import { DYNAMIC_HANDLERS } from './ops/registry.js';
import { checkParams, dynamicInt8Options, type QuantizeParams } from './params.js';
import { startResourceSampler } from './step-resources.js';
import { verifyQuantized } from './verify-output.js';

const schema = JSON.parse(readFileSync(new URL('./schema.json', import.meta.url), 'utf8')) as JSONSchema;

/** Nodes listed by name in a warning; the rest are counted (all of them are in the step's metrics). */
const NAMED_IN_WARNING = 5;
/** Decisions kept in the metrics, so a model with 10 000 skipped nodes does not make a 10 MB report. */
const DECISIONS_IN_METRICS = 200;

function summarize(decisions: NodeDecision[], what: string): string | undefined {
  if (decisions.length === 0) return undefined;
  const named = decisions.slice(0, NAMED_IN_WARNING).map((d) => `${d.opType} '${d.node}' (${d.reason})`).join('; ');
  const more = decisions.length > NAMED_IN_WARNING ? `; and ${decisions.length - NAMED_IN_WARNING} more (see the step's metrics)` : '';
  return `${decisions.length} node(s) ${what}: ${named}${more}`;
}

function passWarnings(result: PassResult, params: QuantizeParams): string[] {
  const warnings: string[] = [];
  if (!result.changed) {
    warnings.push(`no node was quantized (op types ${(params.op_types ?? dynamicInt8Options(params).opTypes).join(', ')}): the model is passed on unchanged`);
  }
  const skipped = summarize(result.skipped, 'kept in float32');
  if (skipped) warnings.push(skipped);
  for (const [opType, count] of Object.entries(result.quantized)) {
    const caveat = DYNAMIC_HANDLERS.get(opType)?.caveat;
    if (caveat && count > 0) warnings.push(`${count} ${opType} node(s) quantized: ${caveat}`);
  }
  if (result.unusedGlobs.length) warnings.push(`exclude.nodes ${result.unusedGlobs.map((g) => `'${g}'`).join(', ')} matched no quantizable node: check the names (Netron shows them)`);
  if (result.inertExcludedOps.length) warnings.push(`exclude.ops ${result.inertExcludedOps.join(', ')} are not among the quantized op types, so excluding them changes nothing`);
  if (result.functionNodes > 0) warnings.push(`${result.functionNodes} candidate node(s) inside model-local functions were left in float32 (functions are not rewritten)`);
  if (result.opset.after !== result.opset.before) {
    warnings.push(`the default-domain opset was raised from ${result.opset.before} to ${result.opset.after} (the quantized ops need it; ${result.opset.convertedNodes} node(s) were rewritten to their new form)`);
  }
  return warnings;
}

async function quantizeDynamicInt8(ctx: StepContext, params: QuantizeParams): Promise<{ result: PassResult; file: string; bytes: number }> {
  const options = dynamicInt8Options(params);
  ctx.progress(0, 'reading the model');
  const model = await readModel(ctx.inputs.model.path);
  const result = quantizeModel(model, {
    ...options, signal: ctx.signal, progress: (fraction, message) => ctx.progress(0.05 + 0.55 * fraction, message),
  });
  ctx.signal.throwIfAborted();
  ctx.progress(0.6, 'writing the quantized model');
  const file = path.join(ctx.tmpDir, 'model.onnx');
  const written = await writeModel(result.model, file, { externalData: 'auto', signal: ctx.signal });
  return { result, file, bytes: written.bytes + (written.externalData?.bytes ?? 0) };
}

function invalidParams(params: QuantizeParams): EdgeoptError | undefined {
  const problems = checkParams(params);
  if (problems.length === 0) return undefined;
  return new EdgeoptError({
    code: 'E_QUANTIZE_PARAMS', kind: 'recipe',
    message: problems.map((p) => `with${p.pointer.replace(/\//g, '.')}: ${p.message}`).join('\n'),
    ...(problems[0]?.hint ? { hint: problems[0].hint } : {}),
  });
}

export const quantizePlugin: Plugin<QuantizeParams> = {
  name: 'quantize',
  version: '1.0.0',
  params: schema,
  produces: 'model',
  check: (params) => checkParams(params),
  async run(ctx, params) {
    const bad = invalidParams(params);
    if (bad) throw bad;
    const sampler = startResourceSampler();
    const { result, file, bytes } = await quantizeDynamicInt8(ctx, params);
    sampler.sample();
    ctx.progress(0.7, 'verifying in ONNX Runtime');
    const verification = await verifyQuantized(ctx.inputs.model.path, file, ctx.modelInputs, ctx.target.ep, ctx.signal);
    const resources = sampler.stop();
    const warnings = passWarnings(result, params);
    if (verification.notCompared) warnings.push(verification.notCompared);
    ctx.progress(1);
    return {
      files: { model: file },
      metrics: {
        precision: params.precision,
        mode: params.mode ?? 'dynamic',
        quantized: result.quantized,
        skipped_count: result.skipped.length,
        skipped: result.skipped.slice(0, DECISIONS_IN_METRICS),
        excluded_count: result.excluded.length,
        excluded: result.excluded.slice(0, DECISIONS_IN_METRICS),
        opset: result.opset,
        weights: result.weights,
        pruned: result.pruned,
        size_before_bytes: ctx.inputs.model.size,
        size_after_bytes: bytes,
        ...(verification.fidelity ? { fidelity: verification.fidelity } : {}),
        resources,
      },
      ...(warnings.length ? { warnings } : {}),
    };
  },
};
