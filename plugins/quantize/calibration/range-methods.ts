// Activation ranges from calibration statistics: min/max, KL-divergence (entropy) and percentile, as ORT's calibrate.py
// defines them (HistogramCollector.compute_entropy / compute_percentile), on the histograms of range-histogram.ts.
import { HISTOGRAM_BINS, type Histogram, type RangeHistogram } from './range-histogram.js';

export type CalibrationMethod = 'minmax' | 'entropy' | 'percentile';

export interface ActivationRange {
  min: number;
  max: number;
}

/** ORT's defaults: 128 quantized bins for entropy (TensorRT's choice), 99.999 for percentile. */
export const ENTROPY_QUANTIZED_BINS = 128;
export const DEFAULT_PERCENTILE = 99.999;

const edge = (h: Histogram, i: number): number => -h.threshold + (2 * h.threshold * i) / h.counts.length;

/** scipy's smoothing in ORT's quant_utils.smooth_distribution: zeros get eps, taken evenly from the non-zeros. */
function smooth(p: Float64Array, eps = 0.0001): Float64Array | undefined {
  let zeros = 0;
  for (const v of p) if (v === 0) zeros++;
  const nonzeros = p.length - zeros;
  if (nonzeros === 0) return undefined;
  const eps1 = (eps * zeros) / nonzeros;
  if (eps1 >= 1) return undefined;
  return p.map((v) => (v === 0 ? eps : v - eps1));
}

/** scipy.stats.entropy(p, q): KL divergence of the normalized distributions. */
function klDivergence(p: Float64Array, q: Float64Array): number {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i] as number;
    sq += q[i] as number;
  }
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = (p[i] as number) / sp;
    if (pi > 0) kl += pi * Math.log(pi / ((q[i] as number) / sq));
  }
  return kl;
}

/** KL divergence between the window [start, end) with outliers folded into its edge bins and its `nq`-bin quantization. */
function windowDivergence(counts: Float64Array, start: number, end: number, nq: number, below: number, above: number): number {
  const sliced = counts.subarray(start, end);
  const p = Float64Array.from(sliced);
  p[0] = (p[0] as number) + below;
  p[p.length - 1] = (p[p.length - 1] as number) + above;
  const merged = Math.floor(sliced.length / nq);
  const q = new Float64Array(p.length);
  for (let k = 0; k < nq; k++) {
    const from = k * merged;
    const to = k === nq - 1 ? sliced.length : from + merged;
    let sum = 0;
    let nonzero = 0;
    for (let j = from; j < to; j++) {
      sum += sliced[j] as number;
      if ((p[j] as number) !== 0) nonzero++;
    }
    // spread the quantized bin over the positions that held values (ORT truncates q to int64 here; we keep it float)
    if (nonzero > 0) for (let j = from; j < to; j++) if ((p[j] as number) !== 0) q[j] = sum / nonzero;
  }
  const ps = smooth(p);
  const qs = smooth(q);
  return ps && qs ? klDivergence(ps, qs) : Number.POSITIVE_INFINITY;
}

/** Adjacent bins merged pairwise until at most `most` remain: the window search is quadratic in the bin count. */
function coarsened(h: Histogram, most: number): Histogram {
  let counts = h.counts;
  while (counts.length > most && counts.length % 4 === 0) {
    const merged = new Float64Array(counts.length / 2);
    for (let i = 0; i < merged.length; i++) merged[i] = (counts[2 * i] as number) + (counts[2 * i + 1] as number);
    counts = merged;
  }
  return { counts, threshold: h.threshold };
}

/** The symmetric window around zero whose quantization to `nq` bins loses the least information (TensorRT's method). */
export function entropyRange(histogram: Histogram, min: number, max: number, nq = ENTROPY_QUANTIZED_BINS): ActivationRange {
  const h = coarsened(histogram, 2 * HISTOGRAM_BINS);
  const { counts } = h;
  const bins = counts.length;
  const zero = Math.floor(bins / 2);
  const halfQ = Math.floor(nq / 2);
  const prefix = new Float64Array(bins + 1);
  for (let i = 0; i < bins; i++) prefix[i + 1] = (prefix[i] as number) + (counts[i] as number);
  let best = { kl: Number.POSITIVE_INFINITY, lo: -h.threshold, hi: h.threshold };
  for (let i = halfQ; i <= zero; i++) {
    const start = zero - i;
    const end = Math.min(zero + i + 1, bins);
    const below = prefix[start] as number;
    const above = (prefix[bins] as number) - (prefix[end] as number);
    const kl = windowDivergence(counts, start, end, nq, below, above);
    if (kl < best.kl) best = { kl, lo: edge(h, start), hi: edge(h, end) };
  }
  return { min: Math.max(best.lo, min), max: Math.min(best.hi, max) };
}

/** Range keeping `percentile` % of |values| (ORT's symmetric percentile, its default), clipped to what was seen. */
export function percentileRange(h: Histogram, min: number, max: number, percentile = DEFAULT_PERCENTILE): ActivationRange {
  const { counts } = h;
  const half = counts.length / 2;
  // fold the symmetric histogram into one of |x| over [0, threshold]: bin k holds both half - 1 - k and half + k
  let total = 0;
  for (const c of counts) total += c;
  const target = (percentile / 100) * total;
  let cumulative = 0;
  let index = half - 1;
  for (let k = 0; k < half; k++) {
    cumulative += (counts[half - 1 - k] as number) + (counts[half + k] as number);
    // numpy.searchsorted(cdf, p): the first bin whose cumulative share reaches p
    if (cumulative >= target) {
      index = k;
      break;
    }
  }
  // the bin's right edge (ORT takes its left edge, which is 0 when the first bin already holds the percentile)
  const t = (h.threshold * (index + 1)) / half;
  return { min: Math.max(-t, min), max: Math.min(t, max) };
}

/** The range `method` picks for one observed tensor; min/max when no histogram could be made (all zeros). */
export function activationRange(observed: RangeHistogram, method: CalibrationMethod, percentile?: number): ActivationRange {
  const min = observed.count > 0 ? observed.min : 0;
  const max = observed.count > 0 ? observed.max : 0;
  const h = method === 'minmax' ? undefined : observed.histogram();
  if (!h) return { min, max };
  return method === 'entropy' ? entropyRange(h, min, max) : percentileRange(h, min, max, percentile);
}
