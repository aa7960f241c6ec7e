// The recipe after loading: `extends` merged, defaults applied, paths absolute, every value's source place kept.
import type { SourceLocation } from '../errors.js';
import type { BenchmarkDoc, GateDoc, StepDoc, ThresholdDoc } from './schema.js';

export type TensorDType = 'float32' | 'float16' | 'float64' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32'
  | 'uint32' | 'int64' | 'uint64' | 'bool';

export interface InputPin {
  shape: number[];
  dtype?: TensorDType;
  value?: number | boolean | number[];
}

export interface ResolvedDataset {
  /** absolute path of a folder of .npy files, or undefined for seeded random data */
  source?: string;
  seed?: number;
  samples: number;
  /** eval only */
  labels?: string;
  metric?: 'top1' | 'top5' | 'mse' | 'cosine' | 'snr';
}

/** `data.eval`: like a calibration set, but it may be labelled and its files are evaluated whole by default. */
export interface ResolvedEvalDataset extends Omit<ResolvedDataset, 'samples'> {
  /** the most samples to evaluate; undefined: every sample the source holds (random data always has a count) */
  samples?: number;
  /** the model output the labels are scored against (default: the first output) */
  output?: string;
  /** binary outputs (one score per sample): class 1 when score >= threshold */
  threshold?: number;
}

export interface Recipe {
  name: string;
  description?: string;
  /** absolute path of the recipe file */
  file: string;
  /** absolute folder the recipe's relative paths are resolved from */
  dir: string;
  projectRoot: string;
  model: { path: string; inputs: Record<string, InputPin> };
  data: { calibration?: ResolvedDataset; eval?: ResolvedEvalDataset };
  /** `needs` stays undefined when the recipe omits it: the step then follows the one listed before it;
   *  an explicit `needs: []` starts from the source model */
  steps: Array<StepDoc & { with: Record<string, unknown> }>;
  target: { format: 'onnx' | 'ort'; ep: string[]; threads: number };
  /** `load` stays absent unless written (idle), so recipes that do not use it keep their cache keys */
  benchmark: Required<Omit<BenchmarkDoc, 'timeout_s' | 'load'>> & Pick<BenchmarkDoc, 'load'> & { timeout_s: number };
  /** how noisy verdicts are re-measured and with what confidence */
  gate: Required<GateDoc>;
  slo: Record<string, ThresholdDoc>;
  /** JSON pointer (e.g. "/slo/size_mb/max") → where that value was written; includes values from `extends` files */
  locations: Record<string, SourceLocation>;
  /** the files this recipe was assembled from, child first */
  sources: string[];
}

export const RECIPE_DEFAULTS = {
  target: { format: 'onnx' as const, ep: ['cpu'], threads: 1 },
  benchmark: { warmup: 10, runs: 50, min_time_ms: 1000, timeout_s: 600 },
  gate: { retries: 2, confidence: 0.95 },
  calibrationSamples: 16,
  /** random eval data only: eval data from files is evaluated whole unless `samples` says otherwise */
  evalSamples: 16,
};
