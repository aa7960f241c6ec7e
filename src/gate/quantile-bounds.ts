// Distribution-free confidence bounds of a population quantile from order statistics (binomial counts, no resampling).

export interface QuantileBounds {
  lo: number;
  hi: number;
  /** sides the samples cannot bound at this confidence (too few of them beyond the quantile): that side is open */
  open?: 'lo' | 'hi' | 'both';
}

/**
 * For iid continuous samples, the number B of them at or below the q-quantile ξ is Binomial(n, q), so the j-th
 * smallest X₍ⱼ₎ exceeds ξ with probability P(B ≤ j − 1). The bounds are the order statistics X₍ₗ₎ ≤ ξ ≤ X₍ᵤ₎ with
 * P(B ≤ l − 1) ≤ α/2 and P(B ≤ u − 1) ≥ 1 − α/2: coverage at least `confidence` whatever the distribution.
 * When no order statistic qualifies (e.g. P99 of 50 runs: the maximum is below P99 60% of the time) that side is
 * open; the extreme sample stands in for it so the figures stay finite.
 */
export function quantileBounds(sorted: Float64Array, q: number, confidence: number): QuantileBounds {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile bounds of no samples');
  if (!(q > 0 && q < 1)) throw new RangeError(`quantile bounds need 0 < q < 1, got ${q}`);
  const tail = (1 - confidence) / 2;
  let l = 0; // 1-based; 0: none qualifies
  let u = n + 1;
  // P(B = k) by its recurrence in log space, so (1 − q)ⁿ does not underflow before the terms that matter
  const step = Math.log(q) - Math.log1p(-q);
  let logPmf = n * Math.log1p(-q);
  let cdf = 0; // P(B ≤ j − 1) at the top of the loop
  for (let j = 1; j <= n; j++) {
    cdf += Math.exp(logPmf);
    if (cdf <= tail) l = j;
    if (cdf >= 1 - tail) {
      u = j;
      break;
    }
    logPmf += Math.log((n - (j - 1)) / j) + step;
  }
  const openLo = l === 0;
  const openHi = u > n;
  const out: QuantileBounds = { lo: sorted[openLo ? 0 : l - 1]!, hi: sorted[openHi ? n - 1 : u - 1]! };
  if (openLo || openHi) out.open = openLo && openHi ? 'both' : openLo ? 'lo' : 'hi';
  return out;
}

/** The fewest iid runs whose order statistics bound the q-quantile on that side at this confidence. */
export function runsToBound(q: number, confidence: number, side: 'lo' | 'hi'): number {
  const tail = (1 - confidence) / 2;
  // the maximum bounds it from above once P(all runs below ξ) = qⁿ ≤ tail; the minimum from below once (1 − q)ⁿ ≤ tail
  return Math.ceil(Math.log(tail) / Math.log(side === 'hi' ? q : 1 - q));
}
