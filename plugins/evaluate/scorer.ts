// What scoring a sample against its label looks like, whichever kind of labels the recipe gives.

/** The recipe's name of a primary metric (data.eval.metric) and the accuracy.* key it reports. */
export type EvalMetric = 'top1' | 'top5' | 'mse' | 'cosine' | 'snr';
export const METRIC_KEY: Record<EvalMetric, string> = { top1: 'top1', top5: 'top5', mse: 'mse', cosine: 'cosine', snr: 'snr_db' };

export interface ScoringResult {
  /** accuracy.* values (SLO names without the prefix) */
  accuracy: Record<string, number>;
  /** metrics of this kind of labels that could not be computed, with the reason */
  notComputed: Record<string, string>;
  /** facts about the scoring worth keeping in the metrics (class count, binary threshold) */
  details: Record<string, unknown>;
}

export interface Scorer {
  /** one sample: the scored output's values and dims, that sample's label values, its 0-based index */
  add(values: Float64Array, dims: readonly number[], label: Float64Array, sample: number): void;
  result(): ScoringResult;
}

/** Where a scorer's messages point: the labels file and the output it reads. */
export interface ScoringPlace {
  labelsFile: string;
  output: string;
}

/** A shape without its size-1 dims: [1, 10] and [10] hold the same per-sample values. */
export function squeezed(shape: readonly number[]): number[] {
  return shape.filter((d) => d !== 1);
}
