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
}

export interface CollectedRanges {
  ranges: Map<string, ActivationRange>;
  /** what the passes saw: the true min/max, even where the method clipped the range */
  seen: Map<string, ActivationRange>;
  capture: CaptureReport;
  /** bytes of each observed tensor per sample (what a layer's output costs to compute, roughly) */
  bytes: Map<string, number>;
}

/** Observes `tensors` over every sample (histograms only when the method needs them) and picks each one's range. */
export async function collectRanges(model: ModelProto, tensors: readonly string[], options: RangeOptions): Promise<CollectedRanges> {
  const observers = new Map<string, RangeHistogram>();
  const { method, percentile, ...capturing } = options;
  const histogram = method !== 'minmax';
  const { report: capture, bytes } = await captureActivations(model, {
    ...capturing,
    tensors,
    onTensor: ({ name, data }) => {
      let observer = observers.get(name);
      if (!observer) observers.set(name, (observer = new RangeHistogram({ histogram })));
      observer.observe(data);
    },
  });
  options.progress?.(1, `${method} ranges of ${observers.size} tensors`);
  const ranges = new Map<string, ActivationRange>();
  const seen = new Map<string, ActivationRange>();
  for (const [name, observer] of observers) {
    if (observer.count === 0) continue;
    ranges.set(name, activationRange(observer, method, percentile));
    seen.set(name, { min: observer.min, max: observer.max });
  }
  return { ranges, seen, capture, bytes };
}
