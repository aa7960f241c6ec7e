// GPTQ over a model: Hessians of the activations feeding the planned MatMuls (captured on calibration data, in
// passes that fit a memory budget), then every weight quantized against the Hessian of its inputs.
import { decodeTensor, type ModelProto, type StepContext } from '../../../src/api.js';
import { WeightQuantError } from '../weight-quant.js';
import { calibrationHessians } from './calibration-hessians.js';
import type { PackedWeight } from './blockwise.js';
import { gptqQuantize, Hessian } from './gptq.js';
import type { Int4Options } from './int4-options.js';
import { weightKey, type MatMulCandidate, type MatMulSurvey } from './matmul-survey.js';

/** Hessians held at once (each K×K float64); more activations than this take several passes over the data. */
const HESSIAN_BUDGET_BYTES = 512 * 2 ** 20;
const DAMP = 0.01;

export interface GptqResult {
  /** per candidate: its packed weight, or why its weight could not be quantized */
  packed: Map<MatMulCandidate, PackedWeight | WeightQuantError>;
  warnings: string[];
  metrics: Record<string, unknown>;
}

interface Pass {
  /** activations whose Hessians this pass accumulates */
  names: Set<string>;
  /** weights quantized after it (every activation they read is in `names`) */
  weights: string[];
}

/** Weights in passes whose Hessians fit the budget together; a weight's inputs are always in its own pass. */
function passes(byWeight: Map<string, MatMulCandidate[]>): Pass[] {
  const out: Pass[] = [];
  let current: Pass = { names: new Set(), weights: [] };
  let bytes = 0;
  for (const [key, readers] of byWeight) {
    const fresh = [...new Set(readers.map((c) => c.activation))].filter((a) => !current.names.has(a));
    const size = fresh.length * readers[0]!.k * readers[0]!.k * 8;
    if (current.weights.length && bytes + size > HESSIAN_BUDGET_BYTES) {
      out.push(current);
      current = { names: new Set(), weights: [] };
      bytes = 0;
    }
    for (const a of readers.map((c) => c.activation)) current.names.add(a);
    current.weights.push(key);
    bytes += size;
  }
  if (current.weights.length) out.push(current);
  return out;
}

/** Weights of main-graph MatMuls by GPTQ; MatMuls inside bodies are left to RTN (their inputs cannot be captured). */
export async function gptqWeights(model: ModelProto, survey: MatMulSurvey, options: Int4Options, ctx: StepContext): Promise<GptqResult> {
  const started = performance.now();
  const main = survey.candidates.filter((c) => c.inMainGraph);
  const warnings: string[] = [];
  const bodies = survey.candidates.length - main.length;
  if (bodies > 0) warnings.push(`${bodies} MatMul(s) inside If/Loop/Scan bodies were quantized by RTN: GPTQ needs their inputs, which only main-graph tensors can give (graph outputs)`);
  const byWeight = new Map<string, MatMulCandidate[]>();
  for (const c of main) byWeight.set(weightKey(c), [...(byWeight.get(weightKey(c)) ?? []), c]);
  const kOf = new Map(main.map((c) => [c.activation, c.k]));
  const packed = new Map<MatMulCandidate, PackedWeight | WeightQuantError>();
  let rows = 0;
  let samples = 0;
  let quantized = 0;
  const plan = passes(byWeight);
  for (const [i, pass] of plan.entries()) {
    const at = (f: number): number => 0.05 + (0.4 * (i + f)) / plan.length;
    const collected = await calibrationHessians(model, [...pass.names].map((activation) => ({ activation, k: kOf.get(activation)! })), {
      dataset: ctx.data.calibration, pins: ctx.modelInputs, ep: ctx.target.ep, scratchDir: ctx.tmpDir, signal: ctx.signal,
      ...(options.calibrationSamples ? { samples: options.calibrationSamples } : {}),
      progress: (f, message) => ctx.progress(at(f), `GPTQ: ${message}`),
    });
    const hessians = collected.hessians;
    samples = collected.samples;
    for (const s of collected.skipped) warnings.push(`GPTQ could not observe '${s.tensor}' (${s.reason}): the MatMuls it feeds were quantized by RTN`);
    rows = Math.max(rows, ...[...hessians.values()].map((h) => h.rows));
    for (const key of pass.weights) {
      ctx.signal.throwIfAborted();
      const readers = byWeight.get(key)!;
      const first = readers[0]!;
      const h = new Hessian(first.k);
      const inputs = [...new Set(readers.map((c) => c.activation))].map((a) => hessians.get(a)!);
      if (inputs.some((x) => x.rows === 0)) continue; // not observed: RTN (warned above)
      for (const x of inputs) h.merge(x);
      let result: PackedWeight | WeightQuantError;
      try {
        const values = decodeTensor(first.weight.tensor, { copy: false }) as Float32Array;
        result = gptqQuantize(values, first.k, first.n, h.matrix(), { blockSize: options.blockSize, symmetric: options.symmetric, damp: DAMP });
      } catch (err) {
        if (!(err instanceof WeightQuantError)) throw err;
        result = err;
      }
      for (const c of readers) packed.set(c, result);
      quantized++;
    }
  }
  return {
    packed, warnings,
    metrics: { samples, activation_rows: rows, passes: plan.length, weights: quantized, damp: DAMP, ms: Math.round(performance.now() - started) },
  };
}
