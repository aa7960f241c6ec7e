// `quantize`: rewrites the model's weights (and where the mode says, activations) to lower precision, then proves the
// result loads in ONNX Runtime and measures its outputs against the input model.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EdgeoptError, readModel, writeModel, type JSONSchema, type Plugin } from '../../src/api.js';
import { checkParams, modeFor, modeKey, readsCalibration } from './modes.js';
import type { QuantizeParams } from './params.js';
import { startResourceSampler } from './step-resources.js';
import { verifyQuantized } from './verify-output.js';

const schema = JSON.parse(readFileSync(new URL('./schema.json', import.meta.url), 'utf8')) as JSONSchema;

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
  dataInputs: (params) => (readsCalibration(params) ? ['calibration'] : []),
  check: (params) => checkParams(params),
  async run(ctx, params) {
    const bad = invalidParams(params);
    if (bad) throw bad;
    const mode = modeFor(params)!;
    const sampler = startResourceSampler();
    ctx.progress(0, 'reading the model');
    const outcome = await mode.run(await readModel(ctx.inputs.model.path), params, ctx);
    sampler.sample();
    ctx.signal.throwIfAborted();
    ctx.progress(0.6, 'writing the quantized model');
    const file = path.join(ctx.tmpDir, 'model.onnx');
    const written = await writeModel(outcome.model, file, { externalData: 'auto', signal: ctx.signal });
    sampler.sample();
    ctx.progress(0.7, 'verifying in ONNX Runtime');
    const verification = await verifyQuantized(ctx.inputs.model.path, file, ctx.modelInputs, ctx.target.ep, ctx.signal);
    const resources = sampler.stop();
    const warnings = [...outcome.warnings, ...(verification.notCompared ? [verification.notCompared] : [])];
    ctx.progress(1);
    return {
      files: { model: file },
      metrics: {
        precision: params.precision,
        mode: modeKey(params),
        changed: outcome.changed,
        ...outcome.metrics,
        size_before_bytes: ctx.inputs.model.size,
        size_after_bytes: written.bytes + (written.externalData?.bytes ?? 0),
        ...(verification.fidelity ? { fidelity: verification.fidelity } : {}),
        resources,
      },
      ...(warnings.length ? { warnings } : {}),
    };
  },
};
