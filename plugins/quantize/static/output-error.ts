// The error of a candidate model's outputs against the float model's, on a few calibration samples, in the metric of a
// recipe's error budget (the worst output on the worst sample), and whether it is within the budget.
import { EdgeoptError, PairStats, tensorOutputs, type Feeds, type ModelProto } from '../../../src/api.js';
import type { ErrorBudget } from '../params.js';
import { openEditedModel } from '../calibration/model-session.js';

export type Outputs = Array<Record<string, Float32Array>>;

export interface ErrorRunner {
  /** the float model's outputs on every sample */
  reference: Outputs;
  samples: Feeds[];
  ep: string[];
  threads?: number;
  scratchDir: string;
  /** the outputs that count (default: all) */
  outputs?: string[];
}

/**
 * Runs `model` on every sample; float32 outputs only (the ones errors are measured on), of `options.outputs` when
 * given. Tensor outputs only are fetched: onnxruntime-node cannot return a sequence or optional output.
 */
export async function runOutputs(model: ModelProto, samples: Feeds[], options: Pick<ErrorRunner, 'ep' | 'threads' | 'scratchDir' | 'outputs'>, signal?: AbortSignal): Promise<Outputs> {
  const opened = await openEditedModel(model, options.scratchDir, { ep: options.ep, ...(options.threads ? { threads: options.threads } : {}) });
  try {
    const all: Outputs = [];
    const fetched = tensorOutputs(opened.session).tensors.filter((name) => !options.outputs || options.outputs.includes(name));
    for (const feeds of samples) {
      signal?.throwIfAborted();
      if (fetched.length === 0) {
        all.push({});
        continue;
      }
      const result = await opened.session.run(feeds, fetched);
      all.push(Object.fromEntries(Object.entries(result).filter(([, t]) => t.type === 'float32').map(([name, t]) => [name, t.data as Float32Array])));
    }
    return all;
  } finally {
    await opened.session.release();
  }
}

/** The recipe error for `outputs` (a param at `key`) naming outputs the float model does not give as float32. */
export function unknownOutputsError(sample: Record<string, Float32Array>, outputs: string[] | undefined, key: string): EdgeoptError | undefined {
  const unknown = (outputs ?? []).filter((name) => !(name in sample));
  if (!unknown.length) return undefined;
  return new EdgeoptError({
    code: 'E_QUANTIZE_PARAMS', kind: 'recipe',
    message: `${key} names ${unknown.map((n) => `'${n}'`).join(', ')}, which the model does not output as float32 (its float outputs: ${Object.keys(sample).join(', ')})`,
    hint: 'list output names as the model declares them (Netron shows them)',
  });
}

/**
 * One output's error in `metric`: cosine similarity, SNR in dB (SNR_CAP_DB when exact), or mean squared error. A NaN
 * or infinity where the float model has none is the worst value the metric has.
 */
export function outputError(reference: Float32Array, candidate: Float32Array, metric: ErrorBudget['metric']): number {
  const stats = new PairStats();
  stats.add(reference, candidate);
  if (stats.nonFinite > 0) return metric === 'mse' ? Number.POSITIVE_INFINITY : metric === 'snr_db' ? Number.NEGATIVE_INFINITY : -1;
  const s = stats.summary();
  return metric === 'mse' ? s.mse : metric === 'snr_db' ? s.snr_db : s.cosine;
}

/** mse: higher is worse; cosine and snr_db: lower is worse. */
export const worseFirst = (metric: ErrorBudget['metric']): ((a: number, b: number) => number) => (metric === 'mse' ? (a, b) => b - a : (a, b) => a - b);

export function withinBudget(value: number, budget: ErrorBudget): boolean {
  return budget.metric === 'mse' ? value <= (budget.max ?? Number.POSITIVE_INFINITY) : value >= (budget.min ?? Number.NEGATIVE_INFINITY);
}

/** The worst error over every output and sample of `model`. */
export async function modelError(model: ModelProto, runner: ErrorRunner, metric: ErrorBudget['metric'], signal?: AbortSignal): Promise<number> {
  const outputs = await runOutputs(model, runner.samples, runner, signal);
  const order = worseFirst(metric);
  let worst: number | undefined;
  outputs.forEach((sample, i) => {
    for (const [name, ref] of Object.entries(runner.reference[i]!)) {
      if (runner.outputs && !runner.outputs.includes(name)) continue;
      const got = sample[name];
      const e = got && got.length === ref.length ? outputError(ref, got, metric) : (metric === 'mse' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
      if (worst === undefined || order(e, worst) < 0) worst = e;
    }
  });
  return worst ?? (metric === 'cosine' ? 1 : metric === 'mse' ? 0 : Number.POSITIVE_INFINITY);
}
