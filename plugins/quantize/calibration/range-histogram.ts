// Running min/max and a histogram symmetric around zero for one tensor, merged sample by sample (ORT calibrate.py's
// HistogramCollector.collect_value): the bin width never changes, the range grows by whole bins on both sides.

/** Bins of a fresh histogram (ORT's percentile default; entropy needs well over its 128 quantized bins). */
export const HISTOGRAM_BINS = 2048;
/** When growth has made the histogram this many times its first size, adjacent bins are merged pairwise. */
const MAX_GROWTH = 8;

export interface Histogram {
  /** counts over [-threshold, threshold], an even number of bins of equal width */
  counts: Float64Array;
  threshold: number;
}

export class RangeHistogram {
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** values seen (NaN excluded) */
  count = 0;
  private counts: Float64Array | undefined;
  private threshold = 0;
  /** values seen while the histogram had no width yet (every value so far was 0) */
  private zeros = 0;
  private readonly bins: number;
  private readonly withHistogram: boolean;

  constructor(options: { histogram: boolean; bins?: number }) {
    this.withHistogram = options.histogram;
    this.bins = Math.max(4, Math.round((options.bins ?? HISTOGRAM_BINS) / 4) * 4);
  }

  observe(data: Float32Array): void {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let n = 0;
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (v === v) n++;
    }
    if (n === 0) return;
    this.count += n;
    if (lo < this.min) this.min = lo;
    if (hi > this.max) this.max = hi;
    if (!this.withHistogram) return;
    const t = Math.max(Math.abs(lo), Math.abs(hi));
    if (!Number.isFinite(t)) return; // an infinite activation has no useful histogram; min/max still record it
    if (t === 0 && !this.counts) {
      this.zeros += n;
      return;
    }
    this.grow(t);
    this.add(data);
  }

  /** The histogram so far, or undefined when no value had any width (all zeros) or histograms are off. */
  histogram(): Histogram | undefined {
    return this.counts ? { counts: this.counts, threshold: this.threshold } : undefined;
  }

  private grow(t: number): void {
    if (!this.counts) {
      this.counts = new Float64Array(this.bins);
      this.threshold = t;
      // values seen while everything was 0 go where 0 falls (numpy: the bin starting at 0)
      this.counts[this.bins / 2] = this.zeros;
      return;
    }
    if (t <= this.threshold) return;
    const old = this.counts;
    const stride = (2 * this.threshold) / old.length;
    // an even number of added bins per side keeps the halves even, so pairs can be merged later
    let half = Math.floor((t - this.threshold) / stride) + 1;
    if (half % 2) half += 1;
    if (old.length + 2 * half > MAX_GROWTH * this.bins) {
      // the range grew by orders of magnitude (a first sample of tiny values): a fresh histogram over [-t, t] with
      // the old counts at their bin centres, instead of allocating bins by the million and merging them down
      this.rebin(t);
      return;
    }
    let counts = new Float64Array(old.length + 2 * half);
    counts.set(old, half);
    const threshold = this.threshold + half * stride;
    while (counts.length > MAX_GROWTH * this.bins && counts.length % 4 === 0) {
      const merged = new Float64Array(counts.length / 2);
      for (let i = 0; i < merged.length; i++) merged[i] = (counts[2 * i] as number) + (counts[2 * i + 1] as number);
      counts = merged;
    }
    this.counts = counts;
    this.threshold = threshold;
  }

  private rebin(t: number): void {
    const old = this.counts!;
    const oldStride = (2 * this.threshold) / old.length;
    const counts = new Float64Array(this.bins);
    const perUnit = this.bins / (2 * t);
    for (let i = 0; i < old.length; i++) {
      const c = old[i] as number;
      if (c === 0) continue;
      const centre = -this.threshold + (i + 0.5) * oldStride;
      const k = Math.min(this.bins - 1, Math.max(0, Math.floor((centre + t) * perUnit)));
      counts[k] = (counts[k] as number) + c;
    }
    this.counts = counts;
    this.threshold = t;
  }

  private add(data: Float32Array): void {
    const counts = this.counts!;
    const bins = counts.length;
    const t = this.threshold;
    const perUnit = bins / (2 * t);
    const last = bins - 1;
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      if (v !== v) continue;
      // numpy's rule: bins are half-open except the last, which includes +threshold
      let k = Math.floor((v + t) * perUnit);
      if (k > last) k = last;
      else if (k < 0) k = 0;
      counts[k] = (counts[k] as number) + 1;
    }
  }
}
