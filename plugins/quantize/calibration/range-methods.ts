// Activation ranges from calibration statistics: min/max, KL-divergence (entropy) and percentile, as ORT's calibrate.py
// defines them (HistogramCollector.compute_entropy / compute_percentile), on the histograms of range-histogram.ts.
import { HISTOGRAM_BINS, type Histogram, type RangeHistogram } from './range-histogram.js';

/** auto: the rule (method and headroom, range-rules.ts) whose ranges do best on calibration samples held out */
export type CalibrationMethod = 'minmax' | 'entropy' | 'percentile' | 'auto';

export interface ActivationRange {
  min: number;
  max: number;
}

/** ORT's defaults: 128 quantized bins for entropy (TensorRT's choice), 99.999 for percentile. */
export const ENTROPY_QUANTIZED_BINS = 128;
export const DEFAULT_PERCENTILE = 99.999;

const edge = (h: Histogram, i: number): number => -h.threshold + (2 * h.threshold * i) / h.counts.length;

const SMOOTHING_EPS = 0.0001;

/**
 * KL divergence between the window [start, end) of `counts`, with the outliers folded into its edge bins (p), and its
 * quantization to `nq` bins spread back over the positions that held values (q), both smoothed the way ORT's
 * quant_utils.smooth_distribution does (zeros get eps, taken evenly from the non-zeros, which keeps each sum) and
 * normalized as scipy.stats.entropy does. ORT truncates q to int64; we keep it float, as TensorRT does. No arrays:
 * the search calls this for every window, so it works from the counts in two passes.
 */
function windowDivergence(counts: Float64Array, start: number, end: number, nq: number, below: number, above: number, scratch: { sums: Float64Array; nonzeros: Int32Array }): number {
  const n = end - start;
  const merged = Math.floor(n / nq);
  const p = (j: number): number => (counts[start + j] as number) + (j === 0 ? below : 0) + (j === n - 1 ? above : 0);
  const chunkEnd = (k: number): number => (k === nq - 1 ? n : (k + 1) * merged);
  // pass 1: per quantized bin, the sum of the sliced counts and how many positions of p hold values
  const { sums, nonzeros } = scratch;
  let pZeros = 0;
  let qZeros = 0;
  let pSum = 0;
  let qSum = 0;
  for (let k = 0; k < nq; k++) {
    const from = k * merged;
    const to = chunkEnd(k);
    let sum = 0;
    let nonzero = 0;
    for (let j = from; j < to; j++) {
      sum += counts[start + j] as number;
      const pj = p(j);
      pSum += pj;
      if (pj !== 0) nonzero++;
    }
    sums[k] = sum;
    nonzeros[k] = nonzero;
    const width = to - from;
    pZeros += width - nonzero;
    qZeros += sum === 0 ? width : width - nonzero;
    if (nonzero > 0) qSum += sum;
  }
  if (pZeros === n || qZeros === n) return Number.POSITIVE_INFINITY;
  const pEps1 = (SMOOTHING_EPS * pZeros) / (n - pZeros);
  const qEps1 = (SMOOTHING_EPS * qZeros) / (n - qZeros);
  if (pEps1 >= 1 || qEps1 >= 1) return Number.POSITIVE_INFINITY;
  // pass 2: Σ p̂ log(p̂ / q̂) with p̂, q̂ the smoothed distributions over their (unchanged) sums
  let kl = 0;
  for (let k = 0; k < nq; k++) {
    const spread = (nonzeros[k] as number) > 0 ? (sums[k] as number) / (nonzeros[k] as number) : 0;
    for (let j = k * merged, to = chunkEnd(k); j < to; j++) {
      const pj = p(j);
      const qj = pj !== 0 ? spread : 0;
      const ps = (pj === 0 ? SMOOTHING_EPS : pj - pEps1) / pSum;
      const qs = (qj === 0 ? SMOOTHING_EPS : qj - qEps1) / qSum;
      kl += ps * Math.log(ps / qs);
    }
  }
  return kl;
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
  const h = coarsened(histogram, HISTOGRAM_BINS);
  const { counts } = h;
  const bins = counts.length;
  const zero = Math.floor(bins / 2);
  const halfQ = Math.floor(nq / 2);
  const prefix = new Float64Array(bins + 1);
  for (let i = 0; i < bins; i++) prefix[i + 1] = (prefix[i] as number) + (counts[i] as number);
  let best = { kl: Number.POSITIVE_INFINITY, lo: -h.threshold, hi: h.threshold };
  const scratch = { sums: new Float64Array(nq), nonzeros: new Int32Array(nq) };
  for (let i = halfQ; i <= zero; i++) {
    const start = zero - i;
    const end = Math.min(zero + i + 1, bins);
    const below = prefix[start] as number;
    const above = (prefix[bins] as number) - (prefix[end] as number);
    const kl = windowDivergence(counts, start, end, nq, below, above, scratch);
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
export function activationRange(observed: RangeHistogram, method: Exclude<CalibrationMethod, 'auto'>, percentile?: number): ActivationRange {
  const min = observed.count > 0 ? observed.min : 0;
  const max = observed.count > 0 ? observed.max : 0;
  const h = method === 'minmax' ? undefined : observed.histogram();
  if (!h) return { min, max };
  return method === 'entropy' ? entropyRange(h, min, max) : percentileRange(h, min, max, percentile);
}
