// Which SLO metrics are noisy latency statistics, and their bootstrap confidence interval from per-run samples.
import { HIGHER_IS_BETTER } from '../recipe/schema.js';
import { BOOTSTRAP_DEFAULTS, clusteredDraws, percentileInterval, sortedSamples, type BootstrapOptions, type Statistic } from './bootstrap.js';
import { quantileBounds } from './quantile-bounds.js';

/** The statistic each noise-aware metric is computed from; throughput is 1000 / mean, speedup a ratio of P50s. */
const STATISTICS: Record<string, Statistic> = {
  'latency.p50_ms': { kind: 'quantile', q: 0.5 },
  'latency.p90_ms': { kind: 'quantile', q: 0.9 },
  'latency.p99_ms': { kind: 'quantile', q: 0.99 },
  'latency.mean_ms': { kind: 'mean' },
  throughput_ips: { kind: 'mean' },
};

/** Per-run latency samples (ms), one array per measurement (child process) of the model. */
export interface LatencySamples {
  final?: ReadonlyArray<readonly number[]>;
  baseline?: ReadonlyArray<readonly number[]>;
}

export interface IntervalEstimate {
  lo: number;
  hi: number;
  confidence: number;
  /** per-run samples of the final model the interval rests on (all measurements) */
  samples: number;
  /** measurements (benchmark processes) of the final model */
  measurements: number;
  /** per-run samples and measurements of the baseline, for intervals that compare with it */
  baseline_samples?: number;
  baseline_measurements?: number;
  /** a side the samples cannot bound (too few runs beyond a tail quantile): the gate treats it as unbounded */
  open?: 'lo' | 'hi' | 'both';
  resamples: number;
  /** bootstrap-percentile, or cluster-bootstrap-percentile over several measurements; "+order-statistic" when a
   *  quantile's distribution-free bounds widened it */
  method: string;
}

/** The quantile a latency percentile metric is (0.9 for latency.p90_ms); undefined for the others. */
export function quantileOf(metric: string): number | undefined {
  const stat = STATISTICS[metric];
  return stat?.kind === 'quantile' ? stat.q : undefined;
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

const nonEmpty = (groups: ReadonlyArray<readonly number[]> | undefined): groups is ReadonlyArray<readonly number[]> =>
  groups !== undefined && groups.length > 0 && groups.every((g) => g.length > 0);

function drawsOf(metric: string, groups: ReadonlyArray<readonly number[]>, opts: BootstrapOptions, seed: number): Float64Array {
  const stat = metric === 'speedup_vs_baseline' ? { kind: 'quantile', q: 0.5 } as const : STATISTICS[metric]!;
  const draws = clusteredDraws(groups.map(sortedSamples), stat, opts.resamples, seed);
  if (metric === 'throughput_ips') for (let i = 0; i < draws.length; i++) draws[i] = 1000 / draws[i]!;
  return draws;
}

const count = (groups: ReadonlyArray<readonly number[]>): number => groups.reduce((a, g) => a + g.length, 0);

/**
 * The interval of the value a verdict compares with its limit: the metric itself (max / min), or its worsening
 * against the baseline (max_drop). Undefined when the metric is not noisy or the samples it needs are missing.
 */
export function intervalFor(
  metric: string, bound: 'max' | 'min' | 'max_drop', samples: LatencySamples, opts: BootstrapOptions = BOOTSTRAP_DEFAULTS,
): IntervalEstimate | undefined {
  if (!isNoisyMetric(metric) || !nonEmpty(samples.final)) return undefined;
  const withBaseline = needsBaseline(metric, bound);
  if (withBaseline && !nonEmpty(samples.baseline)) return undefined;
  if (metric === 'speedup_vs_baseline' && bound === 'max_drop') return undefined; // a drop of a ratio against itself: not meaningful
  const baselineSeed = (opts.seed + BASELINE_SEED_OFFSET) >>> 0;
  let draws = drawsOf(metric, samples.final, opts, opts.seed);
  if (withBaseline) {
    const b = drawsOf(metric, samples.baseline!, opts, baselineSeed);
    const higher = HIGHER_IS_BETTER.has(metric);
    if (metric === 'speedup_vs_baseline') draws = draws.map((v, i) => b[i]! / v);
    else draws = draws.map((v, i) => (higher ? b[i]! - v : v - b[i]!));
  }
  let { lo, hi } = percentileInterval(draws, opts.confidence);
  const clustered = samples.final.length > 1 || (withBaseline && samples.baseline!.length > 1);
  let method = clustered ? 'cluster-bootstrap-percentile' : 'bootstrap-percentile';
  let open: IntervalEstimate['open'];
  const stat = STATISTICS[metric];
  if (stat?.kind === 'quantile' && !withBaseline) {
    // the percentile bootstrap runs short in the tail (P99 of 300 Exp(1) runs: 82% coverage for a 95% interval);
    // the order-statistic bounds guarantee the coverage for iid runs, so the interval is the union of both
    const bounds = quantileBounds(sortedSamples(samples.final.flat()), stat.q, opts.confidence);
    if (bounds.lo < lo || bounds.hi > hi) method += '+order-statistic';
    lo = Math.min(lo, bounds.lo);
    hi = Math.max(hi, bounds.hi);
    open = bounds.open;
  }
  return {
    lo, hi, confidence: opts.confidence, samples: count(samples.final), measurements: samples.final.length,
    ...(withBaseline ? { baseline_samples: count(samples.baseline!), baseline_measurements: samples.baseline!.length } : {}),
    ...(open ? { open } : {}),
    resamples: opts.resamples, method,
  };
}
