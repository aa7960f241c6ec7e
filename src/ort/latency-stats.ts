// Summary statistics of per-run latencies; percentiles by linear interpolation between order statistics.

export interface LatencyStats {
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  mean_ms: number;
  /** sample standard deviation (n − 1); 0 for a single run */
  stddev_ms: number;
  min_ms: number;
  max_ms: number;
}

/**
 * The q-quantile (q in [0, 1]) of ascending `sorted` by linear interpolation: position h = (n − 1)·q, the value
 * between sorted[⌊h⌋] and sorted[⌈h⌉]. This is Hyndman–Fan type 7, numpy's and R's default, so figures can be
 * checked with `numpy.percentile(samples, 90)`. Always within [min, max], monotone in q.
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (h - lo);
}

/** P50/P90/P99, mean, sample stddev, min, max of the samples (in ms). */
export function summarizeLatencies(samples: readonly number[]): LatencyStats {
  if (samples.length === 0) throw new RangeError('no latency samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? sorted.reduce((acc, x) => acc + (x - mean) ** 2, 0) / (n - 1) : 0;
  return {
    p50_ms: percentile(sorted, 0.5),
    p90_ms: percentile(sorted, 0.9),
    p99_ms: percentile(sorted, 0.99),
    mean_ms: mean,
    stddev_ms: Math.sqrt(variance),
    min_ms: sorted[0]!,
    max_ms: sorted[n - 1]!,
  };
}
