// Top-1 / top-5 accuracy of one output's class scores against integer class-id labels, a sample at a time.
import { EdgeoptError, formatShape } from '../../src/api.js';
import { binaryClass, classRank } from './class-rank.js';
import { squeezed, type Scorer, type ScoringPlace, type ScoringResult } from './scorer.js';

export interface ClassScoring extends ScoringPlace {
  threshold: number;
  /** the recipe's primary metric: an error when it cannot be computed, not a warning */
  primary: 'top1' | 'top5';
}

function labelError(message: string, hint: string): EdgeoptError {
  return new EdgeoptError({ code: 'E_EVAL_LABELS', kind: 'recipe', message, hint });
}

export class ClassScorer implements Scorer {
  private classes: number | undefined;
  private hits1 = 0;
  private hits5 = 0;
  private n = 0;

  constructor(private readonly at: ClassScoring) {}

  /** The first sample fixes the class count; top-k needs one score per class, so [C] or [1, C]. */
  private fixClasses(dims: readonly number[], length: number): number {
    if (squeezed(dims).length > 1) {
      throw labelError(
        `output "${this.at.output}" has shape ${formatShape(dims)}: top-1/top-5 accuracy needs one score per class per sample ([C] or [1, C])`,
        'name the output that holds the class scores (data.eval.output), or give float targets of that shape to compare with mse/cosine/snr',
      );
    }
    if (this.at.primary === 'top5' && length <= 5) {
      throw new EdgeoptError({
        code: 'E_EVAL_METRIC', kind: 'recipe',
        message: `data.eval.metric is top5, but output "${this.at.output}" scores ${length === 1 ? 'one value (a binary classifier)' : `only ${length} classes`}: top-5 accuracy of 5 or fewer classes is always 1`,
        hint: 'use metric: top1',
      });
    }
    return length;
  }

  private checkLabel(label: number, sample: number, classes: number): void {
    const ids = classes === 1 ? 2 : classes;
    if (Number.isInteger(label) && label >= 0 && label < ids) return;
    const what = classes === 1 ? 'a binary classifier (one score per sample): labels must be 0 or 1' : `${classes} classes: labels must be class ids 0..${classes - 1}`;
    throw labelError(
      `${this.at.labelsFile}: sample ${sample} (counting from 0) has label ${label}, but output "${this.at.output}" is ${what}`,
      Number.isInteger(label)
        ? 'check that the labels belong to this model, or name the output that holds the class scores (data.eval.output)'
        : 'top1/top5 need whole-number class ids; for float targets set data.eval.metric to mse, cosine or snr',
    );
  }

  add(values: Float64Array, dims: readonly number[], label: Float64Array, sample: number): void {
    const classes = (this.classes ??= this.fixClasses(dims, values.length));
    if (values.length !== classes) {
      throw labelError(`output "${this.at.output}" gave ${values.length} scores for sample ${sample}, ${classes} for the samples before it`, 'class scores need a fixed class count');
    }
    const id = label[0]!;
    this.checkLabel(id, sample, classes);
    if (classes === 1) {
      if (binaryClass(values[0]!, this.at.threshold) === id) this.hits1++;
    } else {
      const rank = classRank(values, id);
      if (rank < 1) this.hits1++;
      if (rank < 5) this.hits5++;
    }
    this.n++;
  }

  result(): ScoringResult {
    const classes = this.classes ?? 0;
    const accuracy: Record<string, number> = { top1: this.n ? this.hits1 / this.n : 0 };
    const notComputed: Record<string, string> = {};
    if (classes > 5) accuracy.top5 = this.hits5 / this.n;
    else {
      notComputed.top5 = classes === 1
        ? `output "${this.at.output}" gives one score per sample (a binary classifier: class 1 when ≥ ${this.at.threshold}); top-5 needs more than 5 classes`
        : `output "${this.at.output}" scores only ${classes} classes; top-5 of 5 or fewer classes is always 1`;
    }
    const details: Record<string, unknown> = { classes: classes === 1 ? 2 : classes };
    if (classes === 1) details.threshold = this.at.threshold;
    return { accuracy, notComputed, details };
  }
}
