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
 * Bootstrap draws of the q-quantile (Hyndman–Fan type 7, as latency-stats computes it) without resampling arrays.
 * Resampling n values with replacement from sorted s gives s[⌊n·Uᵢ⌋] for uniform Uᵢ; ⌊n·u⌋ is monotone, so the
 * resample's r-th smallest value is s[⌊n·U₍ᵣ₎⌋], and the r-th order statistic of n uniforms is Beta(r, n + 1 − r).
 * The next order statistic, given U₍ᵣ₎ = u, is the minimum of n − r uniforms on (u, 1). Both are exact.
 */
function quantileDraws(sorted: Float64Array, q: number, resamples: number, rng: Random): Float64Array {
  const n = sorted.length;
  const h = (n - 1) * q;
  const r = Math.floor(h) + 1; // 1-based rank of the lower order statistic
  const frac = h - (r - 1);
  const at = (u: number): number => sorted[Math.min(n - 1, Math.floor(n * u))]!;
  const out = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    const u = n === 1 ? rng() : beta(r, n + 1 - r, rng);
    const lower = at(u);
    if (frac === 0 || r >= n) {
      out[b] = lower;
      continue;
    }
    const next = u + (1 - u) * (1 - (1 - rng()) ** (1 / (n - r)));
    out[b] = lower + frac * (at(next) - lower);
  }
  return out;
}

function meanDraws(sorted: Float64Array, resamples: number, rng: Random): Float64Array {
  const n = sorted.length;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  const m = Math.min(n, Math.max(1, Math.floor(MEAN_DRAW_BUDGET / resamples)));
  const scale = Math.sqrt(m / n);
  const out = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += sorted[Math.floor(rng() * n)]!;
    out[b] = m === n ? sum / m : mean + scale * (sum / m - mean);
  }
  return out;
}

/** `resamples` bootstrap draws of the statistic over ascending `sorted`; deterministic for a given seed. */
export function bootstrapDraws(sorted: Float64Array, stat: Statistic, resamples: number, seed: number): Float64Array {
  if (sorted.length === 0) throw new RangeError('bootstrap of no samples');
  const rng = mulberry32(seed);
  return stat.kind === 'mean' ? meanDraws(sorted, resamples, rng) : quantileDraws(sorted, stat.q, resamples, rng);
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
