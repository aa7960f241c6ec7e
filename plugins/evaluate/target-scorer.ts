// MSE, cosine similarity and SNR of one output against float target labels of the same shape, a sample at a time.
import { EdgeoptError, formatShape, PairStats } from '../../src/api.js';
import { squeezed, type Scorer, type ScoringPlace, type ScoringResult } from './scorer.js';

export interface TargetScoring extends ScoringPlace {
  /** one sample's label shape, from the labels file */
  labelShape: number[];
}

export class TargetScorer implements Scorer {
  private readonly stats = new PairStats();
  private readonly labelDims: string;

  constructor(private readonly at: TargetScoring) {
    this.labelDims = squeezed(at.labelShape).join();
  }

  add(values: Float64Array, dims: readonly number[], label: Float64Array, sample: number): void {
    // size-1 dims do not matter: a [1, 4] output compares with [4] targets
    if (squeezed(dims).join() !== this.labelDims) {
      throw new EdgeoptError({
        code: 'E_EVAL_LABELS', kind: 'recipe',
        message: `${this.at.labelsFile}: each sample's target has shape ${formatShape(this.at.labelShape)}, but output "${this.at.output}" has shape ${formatShape(dims)} (sample ${sample})`,
        hint: 'save one target per sample with the output\'s shape (axis 0 = sample), or name the output the targets belong to (data.eval.output)',
      });
    }
    this.stats.add(label, values);
  }

  result(): ScoringResult {
    const s = this.stats.summary();
    if (this.stats.nonFinite > 0) {
      const reason = `${this.stats.nonFinite} of ${s.elements} values of output "${this.at.output}" or of the targets are NaN or ±Inf where the other side is not`;
      return { accuracy: {}, notComputed: { mse: reason, cosine: reason, snr_db: reason }, details: {} };
    }
    return { accuracy: { mse: s.mse, cosine: s.cosine, snr_db: s.snr_db }, notComputed: {}, details: { elements: s.elements } };
  }
}
