// `optimize`: ONNX Runtime's offline graph optimization, saved as ONNX or ORT format and checked by loading it back.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  EdgeoptError, buildFeeds, nonTensorNote, openSession, readModelOutline, tensorOutputs, type JSONSchema, type Plugin, type StepContext,
} from '../../src/api.js';
import { maxAbsDiffs } from './compare-outputs.js';
import { countOps, type OpCounts } from './op-counts.js';

export type OptimizationLevel = 'disabled' | 'basic' | 'extended' | 'layout' | 'all';

export interface OptimizeParams {
  level?: OptimizationLevel;
  format?: 'onnx' | 'ort';
  allow_hardware_specific?: boolean;
  verify?: boolean;
}

const schema = JSON.parse(readFileSync(new URL('./schema.json', import.meta.url), 'utf8')) as JSONSchema;

const HARDWARE_SPECIFIC = new Set<OptimizationLevel>(['layout', 'all']);
/** Where the optimized model's weights go when they cannot sit inside it. */
export const EXTERNAL_DATA_NAME = 'model.onnx.data';
/** An inline model this big is near protobuf's 2 GiB ceiling, which the optimized copy (plus fused tensors) may cross. */
const INLINE_LIMIT_BYTES = 1 << 30;
const VERIFY_SEED = 0;

function hardwareSpecificProblem(level: OptimizationLevel): { pointer: string; message: string; hint: string } {
  return {
    pointer: '/level',
    message: `level ${level} adds com.microsoft.nchwc ops tuned to this machine's CPU: the model then runs only on ORT's CPU EP on similar CPUs (onnxruntime-web refuses it)`,
    hint: 'use level: extended, or set allow_hardware_specific: true if the model runs on this kind of CPU only',
  };
}

/** Node counts of an ONNX protobuf file; undefined for ORT-format files or bytes the walk cannot read. */
function opCountsOf(file: string): OpCounts | undefined {
  if (file.endsWith('.ort') || statSync(file).size > 2 ** 31 - 1) return undefined;
  try {
    return countOps(readFileSync(file));
  } catch {
    return undefined;
  }
}

/**
 * Whether the optimized ONNX file must keep its weights in an external file. ORT's saved model otherwise still names
 * the input's external files (weights.bin, relative to the new folder, where there is none), so it would not load.
 */
async function needsExternalData(input: string, size: number): Promise<boolean> {
  if (input.endsWith('.ort')) return false;
  if (size >= INLINE_LIMIT_BYTES) return true;
  const outline = await readModelOutline(input).catch(() => undefined);
  return (outline?.external.length ?? 0) > 0;
}

/** Throws E_OPTIMIZE_FAILED when ORT cannot load what it just wrote. */
async function loadsBack(output: string, ep: string): Promise<void> {
  try {
    await (await openSession(output, { ep: [ep], threads: 1 })).session.release();
  } catch (err) {
    throw new EdgeoptError({ code: 'E_OPTIMIZE_FAILED', kind: 'step', message: `the optimized model does not load: ${(err as Error).message}`, cause: err });
  }
}

interface Verified {
  diffs?: Record<string, number>;
  /** why some or all outputs were not compared */
  note?: string;
}

/** Loads both models and compares their outputs on seeded inputs, saying which outputs it could not compare and why. */
async function verifyOutputs(ctx: StepContext, input: string, output: string, ep: string): Promise<Verified> {
  await loadsBack(output, ep);
  // the reference runs unoptimized (ORT's default would apply the same rewrites to it and hide any difference)
  const reference = await openSession(input, { ep: [ep], threads: 1, sessionOptions: { graphOptimizationLevel: 'disabled' } });
  const candidate = await openSession(output, { ep: [ep], threads: 1 });
  try {
    const feeds = buildFeeds(reference.session, ctx.modelInputs, VERIFY_SEED);
    const note = nonTensorNote(tensorOutputs(reference.session));
    return { diffs: await maxAbsDiffs(reference.session, candidate.session, feeds, path.basename(input)), ...(note ? { note } : {}) };
  } catch (err) {
    if (err instanceof EdgeoptError && err.kind === 'recipe') return { note: `outputs not compared: ${err.message}` };
    throw err;
  } finally {
    await reference.session.release();
    await candidate.session.release();
  }
}

export const optimizePlugin: Plugin<OptimizeParams> = {
  name: 'optimize',
  version: '1.0.0',
  params: schema,
  produces: 'model',
  check: (params) => (HARDWARE_SPECIFIC.has(params.level ?? 'extended') && !params.allow_hardware_specific
    ? [hardwareSpecificProblem(params.level ?? 'extended')] : []),
  async run(ctx, params) {
    const level = params.level ?? 'extended';
    const format = params.format ?? 'onnx';
    if (HARDWARE_SPECIFIC.has(level) && !params.allow_hardware_specific) {
      const p = hardwareSpecificProblem(level);
      throw new EdgeoptError({ code: 'E_HARDWARE_SPECIFIC', kind: 'recipe', message: p.message, hint: p.hint });
    }
    // even when allowed: NCHWc ops exist only in ORT's CPU EP, so a target that prefers another EP (or the ORT
    // format's minimal builds, which drop contrib kernels) would get a model it cannot run as optimized
    const foreign = ctx.target.ep.filter((ep) => ep !== 'cpu');
    if (HARDWARE_SPECIFIC.has(level) && (foreign.length > 0 || ctx.target.format === 'ort')) {
      throw new EdgeoptError({
        code: 'E_HARDWARE_SPECIFIC', kind: 'recipe',
        message: `level ${level} writes com.microsoft.nchwc ops for this machine's CPU, but the recipe's target is ${foreign.length ? `target.ep [${ctx.target.ep.join(', ')}]` : 'target.format ort'}: the model would not run there as optimized`,
        hint: 'use level: extended for this target, or set target.ep: [cpu] (and target.format: onnx) if it really runs on ORT\'s CPU EP on a CPU like this one',
      });
    }
    const input = ctx.inputs.model.path;
    const output = path.join(ctx.tmpDir, `model.${format}`);
    ctx.progress(0, `optimizing (${level})`);
    // ORT applies the level while creating the session and writes the result; the file extension picks the format
    const external = format === 'onnx' && await needsExternalData(input, ctx.inputs.model.size);
    const opened = await openSession(input, {
      ep: ctx.target.ep, threads: 1,
      sessionOptions: {
        graphOptimizationLevel: level, optimizedModelFilePath: output,
        // initializers of 1 KiB and more (ORT's default threshold) go to one file beside the model
        ...(external ? { extra: { session: { optimized_model_external_initializers_file_name: EXTERNAL_DATA_NAME } } } : {}),
      },
    });
    await opened.session.release();
    ctx.progress(0.5, 'verifying');
    const verified: Verified = params.verify === false
      ? await loadsBack(output, opened.ep).then(() => ({}))
      : await verifyOutputs(ctx, input, output, opened.ep);

    const before = opCountsOf(input);
    const after = opCountsOf(output);
    const warnings: string[] = [];
    if (HARDWARE_SPECIFIC.has(level)) {
      const nchwc = after && Object.entries(after.by_op).filter(([op]) => op.startsWith('com.microsoft.nchwc.')).reduce((n, [, c]) => n + c, 0);
      const found = nchwc === undefined ? 'ORT-format output: op counts unknown' : `${nchwc} com.microsoft.nchwc ops in the result`;
      warnings.push(`level ${level} applies ORT's layout optimizations for this CPU (${found}): use the model only with ORT's CPU EP on machines like this one`);
    }
    if (verified.note) warnings.push(verified.note);
    ctx.progress(1);
    return {
      files: { model: output },
      metrics: {
        level, format, ep: opened.ep,
        size_before_bytes: ctx.inputs.model.size,
        size_after_bytes: statSync(output).size,
        ...(before ? { nodes_before: before } : {}),
        ...(after ? { nodes_after: after } : {}),
        ...(verified.diffs ? { max_abs_diff: verified.diffs } : {}),
      },
      ...(warnings.length ? { warnings } : {}),
    };
  },
};
