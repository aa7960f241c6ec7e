// Which scorer the labels call for (class ids or float targets), and what labels must satisfy before any inference runs.
import path from 'node:path';
import { EdgeoptError, formatShape, stackedFileName, type LabelSource, type OpenedDataset } from '../../src/api.js';
import { ClassScorer } from './class-scorer.js';
import type { EvalMetric, Scorer } from './scorer.js';
import { TargetScorer } from './target-scorer.js';

export interface ScoringParams {
  metric?: EvalMetric;
  threshold: number;
}

/** The files the dataset's samples come from, for messages. */
export function datasetFiles(source: string, dataset: OpenedDataset): string[] {
  if (dataset.layout === 'files') return [path.join(source, 'data.jsonl')];
  return Object.entries(dataset.sources).filter(([, kind]) => kind === 'stacked').map(([name]) => path.join(source, stackedFileName(name)));
}

/** Labels label the files' samples one to one: a count that differs means they belong to other data. */
export function checkLabelCount(labels: LabelSource, dataset: OpenedDataset, files: readonly string[], show: (file: string) => string): void {
  if (labels.count === dataset.available) return;
  throw new EdgeoptError({
    code: 'E_DATA_LABELS', kind: 'recipe',
    message: `${show(labels.file)} holds ${labels.count} labels, but the eval data holds ${dataset.available} samples (${files.map(show).join(', ')}): there must be one label per sample`,
    hint: 'save exactly one label per sample, in the same order as axis 0 of the data (or the lines of data.jsonl)',
  });
}

/** top1/top5 read labels as class ids, mse/cosine/snr as targets; without a metric the labels' dtype decides. */
export interface Scoring {
  scorer: Scorer;
  primary: EvalMetric;
  kind: 'class' | 'target';
}

export function scoringFor(labels: LabelSource, params: ScoringParams, output: string, show: (file: string) => string): Scoring {
  const kind = params.metric === undefined ? labels.kind : params.metric === 'top1' || params.metric === 'top5' ? 'class' : 'target';
  const place = { labelsFile: show(labels.file), output };
  if (kind === 'target') {
    const primary = params.metric ?? 'mse';
    return { scorer: new TargetScorer({ ...place, labelShape: labels.sampleShape }), primary, kind };
  }
  if (labels.sampleShape.some((d) => d !== 1)) {
    throw new EdgeoptError({
      code: 'E_EVAL_LABELS', kind: 'recipe',
      message: `${show(labels.file)}: class labels need one class id per sample (shape [N]), but each sample's label has shape ${formatShape(labels.sampleShape)}`,
      hint: 'one-hot labels: save labels.argmax(axis=1); integer targets compared element-wise: set data.eval.metric to mse, cosine or snr',
    });
  }
  const primary = params.metric === 'top5' ? 'top5' : 'top1';
  return { scorer: new ClassScorer({ ...place, threshold: params.threshold, primary }), primary, kind };
}
