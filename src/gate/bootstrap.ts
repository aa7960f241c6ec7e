// Seeded percentile-bootstrap confidence intervals of latency statistics: exact for quantiles in O(resamples) after one sort.
import { mulberry32, type Random } from '../ort/seeded-random.js';

export type Statistic = { kind: 'quantile'; q: number } | { kind: 'mean' };

export interface BootstrapOptions {
  /** bootstrap resamples (draws of the statistic) */
  resamples: number;
  /** two-sided coverage, e.g. 0.95 */
  confidence: number;
  seed: number;
}

export const BOOTSTRAP_DEFAULTS: BootstrapOptions = { resamples: 2000, confidence: 0.95, seed: 0x5eed };

/**
 * Above this many sample draws (n × resamples) the mean is bootstrapped m-out-of-n (m = budget / resamples) and
 * rescaled by √(m/n) around the sample mean (Bickel & Freedman): 100 k samples × 2000 resamples would be 2·10⁸ draws.
 */
export const MEAN_DRAW_BUDGET = 4_000_000;

/** Ascending copy of the samples (the bootstrap functions take sorted input). */
export function sortedSamples(samples: readonly number[]): Float64Array {
  return Float64Array.from(samples).sort();
}

/** The values one bootstrap draw resamples from, seen in ascending order. */
interface SortedView {
  n: number;
  /** the i-th smallest value (0-based), i < n */
  at(i: number): number;
  /** one value drawn uniformly from the n */
  pick(rng: Random): number;
  mean: number;
}

function viewOf(sorted: Float64Array): SortedView {
  const n = sorted.length;
  return {
    n, at: (i) => sorted[i]!, pick: (rng) => sorted[Math.floor(rng() * n)]!, mean: sorted.reduce((a, b) => a + b, 0) / n,
  };
}

function normal(rng: Random): number {
  // Box–Muller; 1 − u keeps the log argument in (0, 1]
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Gamma(shape ≥ 1, scale 1) by Marsaglia & Tsang (2000). */
function gamma(shape: number, rng: Random): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rng);
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = 1 - rng();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

function beta(a: number, b: number, rng: Random): number {
  const x = gamma(a, rng);
  return x / (x + gamma(b, rng));
}

/**
 * One bootstrap draw of the q-quantile (Hyndman–Fan type 7, as latency-stats computes it) without resampling arrays.
 * Resampling n values with replacement from sorted s gives s[⌊n·Uᵢ⌋] for uniform Uᵢ; ⌊n·u⌋ is monotone, so the
 * resample's r-th smallest value is s[⌊n·U₍ᵣ₎⌋], and the r-th order statistic of n uniforms is Beta(r, n + 1 − r).
 * The next order statistic, given U₍ᵣ₎ = u, is the minimum of n − r uniforms on (u, 1). Both are exact.
 */
function quantileDraw(view: SortedView, q: number, rng: Random): number {
  const n = view.n;
  const h = (n - 1) * q;
  const r = Math.floor(h) + 1; // 1-based rank of the lower order statistic
  const frac = h - (r - 1);
  const at = (u: number): number => view.at(Math.min(n - 1, Math.floor(n * u)));
  const u = n === 1 ? rng() : beta(r, n + 1 - r, rng);
  const lower = at(u);
  if (frac === 0 || r >= n) return lower;
  const next = u + (1 - u) * (1 - (1 - rng()) ** (1 / (n - r)));
  return lower + frac * (at(next) - lower);
}

/** One draw of the mean; m-out-of-n (see MEAN_DRAW_BUDGET) when n × resamples is too many draws. */
function meanDraw(view: SortedView, resamples: number, rng: Random): number {
  const n = view.n;
  const m = Math.min(n, Math.max(1, Math.floor(MEAN_DRAW_BUDGET / resamples)));
  let sum = 0;
  for (let i = 0; i < m; i++) sum += view.pick(rng);
  return m === n ? sum / m : view.mean + Math.sqrt(m / n) * (sum / m - view.mean);
}

function drawOf(view: SortedView, stat: Statistic, resamples: number, rng: Random): number {
  return stat.kind === 'mean' ? meanDraw(view, resamples, rng) : quantileDraw(view, stat.q, rng);
}

/** `resamples` bootstrap draws of the statistic over ascending `sorted`; deterministic for a given seed. */
export function bootstrapDraws(sorted: Float64Array, stat: Statistic, resamples: number, seed: number): Float64Array {
  if (sorted.length === 0) throw new RangeError('bootstrap of no samples');
  const rng = mulberry32(seed);
  const view = viewOf(sorted);
  const out = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) out[b] = drawOf(view, stat, resamples, rng);
  return out;
}

/**
 * Two-stage (cluster) bootstrap over several measurements of one model, each its own process: every draw first
 * resamples the k measurements with replacement, then the samples of the chosen ones. A process differs from the
 * next (memory layout, clock, neighbours' load) by more than its runs differ from each other; resampling whole
 * measurements carries that spread into the interval, which an iid bootstrap of the pooled runs would hide.
 * With one measurement this is `bootstrapDraws`, draw for draw.
 */
export function clusteredDraws(groups: readonly Float64Array[], stat: Statistic, resamples: number, seed: number): Float64Array {
  if (groups.length === 0 || groups.some((g) => g.length === 0)) throw new RangeError('bootstrap of no samples');
  if (groups.length === 1) return bootstrapDraws(groups[0]!, stat, resamples, seed);
  const rng = mulberry32(seed);
  const pooled = new PooledView(groups);
  const out = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    pooled.choose(rng);
    out[b] = drawOf(pooled, stat, resamples, rng);
  }
  return out;
}

/** The union of the chosen measurements (each as often as it was chosen), in ascending order, without copying it. */
class PooledView implements SortedView {
  n = 0;
  mean = 0;
  private readonly values: Float64Array;
  private readonly label: Uint16Array;
  private readonly cum: Float64Array;
  private readonly weight: Float64Array;
  private readonly sums: number[];

  constructor(private readonly groups: readonly Float64Array[]) {
    const all = groups.flatMap((g, i) => Array.from(g, (v) => [v, i] as const)).sort((a, b) => a[0] - b[0]);
    this.values = Float64Array.from(all, (e) => e[0]);
    this.label = Uint16Array.from(all, (e) => e[1]);
    this.cum = new Float64Array(all.length);
    this.weight = new Float64Array(groups.length);
    this.sums = groups.map((g) => g.reduce((a, b) => a + b, 0));
  }

  /** First stage: k measurements drawn with replacement; weight[g] is how often g was drawn. */
  choose(rng: Random): void {
    const k = this.groups.length;
    this.weight.fill(0);
    for (let i = 0; i < k; i++) this.weight[Math.floor(rng() * k)]! += 1;
    let c = 0;
    for (let i = 0; i < this.values.length; i++) this.cum[i] = c += this.weight[this.label[i]!]!;
    this.n = c;
    this.mean = this.groups.reduce((acc, _g, i) => acc + this.weight[i]! * this.sums[i]!, 0) / c;
  }

  at(rank: number): number {
    // the first position whose cumulative count exceeds the rank
    let lo = 0;
    let hi = this.values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > rank) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo]!;
  }

  pick(rng: Random): number {
    let t = rng() * this.n;
    for (let g = 0; g < this.groups.length; g++) {
      const size = this.weight[g]! * this.groups[g]!.length;
      if (t < size) return this.groups[g]![Math.floor(t / this.weight[g]!)]!;
      t -= size;
    }
    const last = this.groups[this.groups.length - 1]!;
    return last[last.length - 1]!;
  }
}

/** The equal-tailed percentile interval of the draws (type-7 quantiles of the sorted draws). */
export function percentileInterval(draws: Float64Array, confidence: number): { lo: number; hi: number } {
  const sorted = Float64Array.from(draws).sort();
  const tail = (1 - confidence) / 2;
  const pick = (q: number): number => {
    const h = (sorted.length - 1) * q;
    const i = Math.floor(h);
    const j = Math.min(sorted.length - 1, i + 1);
    return sorted[i]! + (sorted[j]! - sorted[i]!) * (h - i);
  };
  return { lo: pick(tail), hi: pick(1 - tail) };
}
