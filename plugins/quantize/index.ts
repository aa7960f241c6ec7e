// `quantize`: rewrites the model's weights (and where the mode says, activations) to lower precision, then proves the
// result loads in ONNX Runtime and measures its outputs against the input model.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  EdgeoptError, readModel, writeModel, type JSONSchema, type Plugin, type StepContext, type WriteModelResult,
} from '../../src/api.js';
import { checkParams, modeFor, modeKey, readsCalibration, type ModeOutcome, type QuantizeMode } from './modes.js';
import type { QuantizeParams } from './params.js';
import { collectGarbage, startResourceSampler, type ResourceSampler } from './step-resources.js';
import type { OutputFidelity } from './fidelity.js';
import { FIDELITY_SEEDS, verifyQuantized } from './verify-output.js';

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

/**
 * Below 20 dB the error carries 1% of an output's energy (RMS error a tenth of the RMS output), where accuracy
 * losses start to show; faithful quantization stays far above (dynamic INT8 over ONNX's corpus kept cosine ≥ 0.99995,
 * ~40 dB or more), while PP-OCRv4 det's Convs in dynamic INT8 fall to cosine 0.91 on a real image. One bound suffices:
 * the error is at least sin θ of the output, so cosine < 0.99 already means SNR < 17 dB; the message gives both.
 */
const MIN_SNR_DB = 20;

/** A warning per output the step's own measurement finds far from the input model's. */
function fidelityWarnings(fidelity: Record<string, OutputFidelity> | undefined, params: QuantizeParams): string[] {
  const staticInt8 = params.precision === 'int8' && params.mode === 'static';
  const instead = params.precision === 'int8' && !staticInt8 ? 'try static INT8 with calibration data (mode: static), or '
    : staticInt8 && params.calibration?.method !== 'auto' ? 'try calibration: { method: auto } (the range rule that does best on held-out calibration samples), or ' : '';
  return Object.entries(fidelity ?? {}).filter(([, f]) => f.snr_db !== null && f.snr_db < MIN_SNR_DB).map(([name, f]) => {
    const figures = Number.isFinite(f.max_abs_error) ? `cosine ${f.cosine_similarity.toFixed(3)}, SNR ${f.snr_db!.toFixed(1)} dB` : 'its shape differs or it holds NaN';
    return `output ${name} is far from the input model's after quantization: ${figures} (worst of ${FIDELITY_SEEDS.length} seeded random inputs; `
      + `a faithful result keeps SNR ≥ ${MIN_SNR_DB} dB): ${instead}keep the layers that suffer most in float (with.exclude.ops or with.exclude.nodes)`;
  });
}

/**
 * Runs the mode and writes its model; the models live only in this frame, so once it returns nothing holds them
 * (the caller collects them before verification: ORT's own allocations are invisible to V8's heuristics).
 */
async function quantizeAndWrite(mode: QuantizeMode, params: QuantizeParams, ctx: StepContext, file: string, sampler: ResourceSampler): Promise<{ outcome: Omit<ModeOutcome, 'model'>; written: WriteModelResult }> {
  ctx.progress(0, 'reading the model');
  const { model, ...outcome } = await mode.run(await readModel(ctx.inputs.model.path), params, ctx);
  sampler.sample();
  ctx.signal.throwIfAborted();
  ctx.progress(0.6, 'writing the quantized model');
  const written = await writeModel(model, file, { externalData: 'auto', signal: ctx.signal });
  sampler.sample();
  return { outcome, written };
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
    const sampler = startResourceSampler();
    const file = path.join(ctx.tmpDir, 'model.onnx');
    const { outcome, written } = await quantizeAndWrite(modeFor(params)!, params, ctx, file, sampler);
    // the float model and the mode's output are unreachable now: free them before ORT loads both models
    collectGarbage();
    sampler.mark('quantize_and_write');
    ctx.progress(0.7, 'verifying in ONNX Runtime');
    const verification = await verifyQuantized(ctx.inputs.model.path, file, ctx.modelInputs, ctx.target.ep, ctx.signal);
    const resources = sampler.stop();
    const warnings = [...outcome.warnings, ...(verification.notCompared ? [verification.notCompared] : []), ...fidelityWarnings(verification.fidelity, params)];
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
