// Bins latency samples (up to hundreds of thousands) into a fixed number of counts, so a plot costs O(bins) elements.

export interface Histogram {
  lo: number;
  hi: number;
  /** counts[i] holds samples in [lo + i·w, lo + (i+1)·w); the last bin also holds `hi` itself */
  counts: number[];
  /** samples above `hi` (the far tail cut off so the body stays readable) */
  overflow: number;
  underflow: number;
  total: number;
}

export function binSamples(samples: readonly number[], lo: number, hi: number, bins: number): Histogram {
  const counts = new Array<number>(Math.max(1, Math.floor(bins))).fill(0);
  const n = counts.length;
  const width = hi > lo ? (hi - lo) / n : 0;
  let overflow = 0;
  let underflow = 0;
  let total = 0;
  for (const x of samples) {
    if (!Number.isFinite(x)) continue;
    total++;
    if (x < lo) underflow++;
    else if (x > hi) overflow++;
    else counts[width === 0 ? 0 : Math.min(n - 1, Math.floor((x - lo) / width))]!++;
  }
  return { lo, hi, counts, overflow, underflow, total };
}

/** The q-quantile (0..1) of already sorted values, by linear interpolation. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const i = Math.floor(pos);
  const a = sorted[i]!;
  const b = sorted[Math.min(sorted.length - 1, i + 1)]!;
  return a + (b - a) * (pos - i);
}

export function sortedFinite(samples: readonly number[]): Float64Array {
  return Float64Array.from(samples.filter(Number.isFinite)).sort();
}

/**
 * One range for several series, from the smallest sample to the `tailQ` quantile of the widest series:
 * latency has a long tail (a 50× outlier is common), and a range that includes it squashes the body into one bin.
 */
export function sharedRange(sortedSeries: Float64Array[], tailQ = 0.995): { lo: number; hi: number } {
  const filled = sortedSeries.filter((s) => s.length > 0);
  if (filled.length === 0) return { lo: 0, hi: 1 };
  const lo = Math.min(...filled.map((s) => s[0]!));
  let hi = Math.max(...filled.map((s) => quantileSorted(s, tailQ)));
  if (!(hi > lo)) hi = Math.max(...filled.map((s) => s[s.length - 1]!));
  if (!(hi > lo)) hi = lo === 0 ? 1 : lo * 1.01;
  return { lo, hi };
}
