// Calibration for static quantization: the activation range of each tensor over the calibration samples, by method.
import type { ModelProto } from '../../../src/api.js';
import { captureActivations, type CaptureOptions, type CaptureReport } from './activation-capture.js';
import { RangeHistogram } from './range-histogram.js';
import { activationRange, type ActivationRange, type CalibrationMethod } from './range-methods.js';

/** The capture's options (samples, EP, scratch folder, budget, signal, progress) and the method. */
export interface RangeOptions extends Omit<CaptureOptions, 'tensors' | 'onTensor'> {
  method: CalibrationMethod;
  /** for method percentile */
  percentile?: number;
  /**
   * Also observe the samples split into this many folds (sample i in fold i mod folds), for choosing a range rule
   * on samples the ranges were not taken from (method auto). Histograms are kept whatever the method.
   */
  folds?: number;
}

export type Observations = Map<string, RangeHistogram>;

export interface CollectedRanges {
  /** each tensor's range by `method` (empty for method auto: the caller picks a rule and applies it to `observed`) */
  ranges: Map<string, ActivationRange>;
  /** what the passes saw: the true min/max, even where the method clipped the range */
  seen: Map<string, ActivationRange>;
  /** with `folds`: every tensor's statistics over all samples (the chosen rule is applied to them) */
  observed?: Observations;
  /** with `folds`: the statistics of each fold's samples alone */
  folds: Observations[];
  capture: CaptureReport;
  /** bytes of each observed tensor per sample (what a layer's output costs to compute, roughly) */
  bytes: Map<string, number>;
}

function observer(map: Observations, name: string, histogram: boolean): RangeHistogram {
  let o = map.get(name);
  if (!o) map.set(name, (o = new RangeHistogram({ histogram })));
  return o;
}

/** Observes `tensors` over every sample (histograms only when the method needs them) and picks each one's range. */
export async function collectRanges(model: ModelProto, tensors: readonly string[], options: RangeOptions): Promise<CollectedRanges> {
  const observed: Observations = new Map();
  const { method, percentile, folds: foldCount = 0, ...capturing } = options;
  const folds: Observations[] = Array.from({ length: foldCount >= 2 ? foldCount : 0 }, () => new Map());
  const histogram = method !== 'minmax' || folds.length > 0;
  const { report: capture, bytes } = await captureActivations(model, {
    ...capturing,
    tensors,
    onTensor: ({ name, data }, sample) => {
      observer(observed, name, histogram).observe(data);
      if (folds.length) observer(folds[sample % folds.length]!, name, true).observe(data);
    },
  });
  options.progress?.(1, `${method} ranges of ${observed.size} tensors`);
  const ranges = new Map<string, ActivationRange>();
  const seen = new Map<string, ActivationRange>();
  for (const [name, o] of observed) {
    if (o.count === 0) continue;
    if (method !== 'auto') ranges.set(name, activationRange(o, method, percentile));
    seen.set(name, { min: o.min, max: o.max });
  }
  return { ranges, seen, ...(folds.length ? { observed } : {}), folds, capture, bytes };
}
