// Which SLO metrics are noisy latency statistics, and their bootstrap confidence interval from per-run samples.
import { HIGHER_IS_BETTER } from '../recipe/schema.js';
import { BOOTSTRAP_DEFAULTS, bootstrapDraws, percentileInterval, sortedSamples, type BootstrapOptions, type Statistic } from './bootstrap.js';

/** The statistic each noise-aware metric is computed from; throughput is 1000 / mean, speedup a ratio of P50s. */
const STATISTICS: Record<string, Statistic> = {
  'latency.p50_ms': { kind: 'quantile', q: 0.5 },
  'latency.p90_ms': { kind: 'quantile', q: 0.9 },
  'latency.p99_ms': { kind: 'quantile', q: 0.99 },
  'latency.mean_ms': { kind: 'mean' },
  throughput_ips: { kind: 'mean' },
};

export interface LatencySamples {
  final?: readonly number[];
  baseline?: readonly number[];
}

export interface IntervalEstimate {
  lo: number;
  hi: number;
  confidence: number;
  /** per-run samples of the final model the interval rests on */
  samples: number;
  /** per-run samples of the baseline, for intervals that compare with it */
  baseline_samples?: number;
  resamples: number;
  method: 'bootstrap-percentile';
}

/** True for metrics the gate judges with an interval (latency.max_ms is one sample: no interval). */
export function isNoisyMetric(metric: string): boolean {
  return metric in STATISTICS || metric === 'speedup_vs_baseline';
}

/** Whether an interval for this verdict needs the baseline's samples too. */
export function needsBaseline(metric: string, bound: 'max' | 'min' | 'max_drop'): boolean {
  return metric === 'speedup_vs_baseline' || bound === 'max_drop';
}

// distinct streams for the final and the baseline draws, so a ratio is not of two identical resamples
const BASELINE_SEED_OFFSET = 0x9e3779b9;

function drawsOf(metric: string, samples: readonly number[], opts: BootstrapOptions, seed: number): Float64Array {
  const sorted = sortedSamples(samples);
  const stat = metric === 'speedup_vs_baseline' ? { kind: 'quantile', q: 0.5 } as const : STATISTICS[metric]!;
  const draws = bootstrapDraws(sorted, stat, opts.resamples, seed);
  if (metric === 'throughput_ips') for (let i = 0; i < draws.length; i++) draws[i] = 1000 / draws[i]!;
  return draws;
}

/**
 * The interval of the value a verdict compares with its limit: the metric itself (max / min), or its worsening
 * against the baseline (max_drop). Undefined when the metric is not noisy or the samples it needs are missing.
 */
export function intervalFor(
  metric: string, bound: 'max' | 'min' | 'max_drop', samples: LatencySamples, opts: BootstrapOptions = BOOTSTRAP_DEFAULTS,
): IntervalEstimate | undefined {
  if (!isNoisyMetric(metric) || !samples.final?.length) return undefined;
  const withBaseline = needsBaseline(metric, bound);
  if (withBaseline && !samples.baseline?.length) return undefined;
  const baseMetric = metric === 'speedup_vs_baseline' ? 'latency.p50_ms' : metric;
  let draws: Float64Array;
  if (metric === 'speedup_vs_baseline') {
    const f = drawsOf(baseMetric, samples.final, opts, opts.seed);
    const b = drawsOf(baseMetric, samples.baseline!, opts, (opts.seed + BASELINE_SEED_OFFSET) >>> 0);
    draws = f.map((v, i) => b[i]! / v);
    if (bound === 'max_drop') return undefined; // a drop of a ratio against itself: not meaningful
  } else {
    draws = drawsOf(metric, samples.final, opts, opts.seed);
    if (withBaseline) {
      const b = drawsOf(metric, samples.baseline!, opts, (opts.seed + BASELINE_SEED_OFFSET) >>> 0);
      const higher = HIGHER_IS_BETTER.has(metric);
      draws = draws.map((v, i) => (higher ? b[i]! - v : v - b[i]!));
    }
  }
  const { lo, hi } = percentileInterval(draws, opts.confidence);
  return {
    lo, hi, confidence: opts.confidence, samples: samples.final.length,
    ...(withBaseline ? { baseline_samples: samples.baseline!.length } : {}),
    resamples: opts.resamples, method: 'bootstrap-percentile',
  };
}
