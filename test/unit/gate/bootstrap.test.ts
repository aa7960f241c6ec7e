// The bootstrap itself: exact order-statistic draws, coverage on known distributions, determinism, m-out-of-n, clusters.
import { describe, expect, it } from 'vitest';
import {
  bootstrapDraws, clusteredDraws, MEAN_DRAW_BUDGET, percentileInterval, sortedSamples, type Statistic,
} from '../../../src/gate/bootstrap.js';
import { percentile } from '../../../src/ort/latency-stats.js';
import { mulberry32 } from '../../../src/ort/seeded-random.js';
import { coverage, exponential, exponentialQuantile } from './synthetic-samples.js';

const MEDIAN: Statistic = { kind: 'quantile', q: 0.5 };
const P90: Statistic = { kind: 'quantile', q: 0.9 };
const MEAN: Statistic = { kind: 'mean' };

const interval = (samples: number[], stat: Statistic, seed: number, resamples = 1000, confidence = 0.95): { lo: number; hi: number } =>
  percentileInterval(bootstrapDraws(sortedSamples(samples), stat, resamples, seed), confidence);

function binomialTail(n: number, p: number, atLeast: number): number {
  let sum = 0;
  for (let k = atLeast; k <= n; k++) {
    let c = 1;
    for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
    sum += c * p ** k * (1 - p) ** (n - k);
  }
  return sum;
}

describe('bootstrapDraws: the draws are those of real resampling', () => {
  it('matches the exact distribution of a resampled median (n = 7)', () => {
    const s = Float64Array.from([1, 2, 3, 4, 5, 6, 7]);
    const draws = bootstrapDraws(s, MEDIAN, 20_000, 11);
    for (let j = 0; j < 7; j++) {
      // the resample's median is ≤ s[j] when at least 4 of its 7 values are
      const exact = 1 - binomialTail(7, (j + 1) / 7, 4);
      const seen = draws.filter((d) => d <= s[j]!).length / draws.length;
      expect(Math.abs(seen - (1 - exact)), `P(median ≤ ${s[j]})`).toBeLessThan(0.015);
    }
  });

  it('matches brute-force resampling for an interpolated quantile (P90 of 5 values)', () => {
    const s = [2, 3, 5, 8, 13];
    const exact = bootstrapDraws(Float64Array.from(s), P90, 20_000, 5);
    const rng = mulberry32(99);
    const brute = Array.from({ length: 20_000 }, () => {
      const r = Array.from({ length: s.length }, () => s[Math.floor(rng() * s.length)]!).sort((a, b) => a - b);
      return percentile(r, 0.9);
    });
    const mean = (xs: ArrayLike<number>): number => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(exact)).toBeCloseTo(mean(brute), 1);
    const sortedExact = [...exact].sort((a, b) => a - b);
    const sortedBrute = brute.sort((a, b) => a - b);
    for (const q of [0.1, 0.25, 0.5, 0.75]) expect(Math.abs(percentile(sortedExact, q) - percentile(sortedBrute, q))).toBeLessThan(0.35);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const s = sortedSamples(exponential(300, 1));
    expect(bootstrapDraws(s, P90, 500, 7)).toEqual(bootstrapDraws(s, P90, 500, 7));
    expect(bootstrapDraws(s, MEAN, 500, 7)).toEqual(bootstrapDraws(s, MEAN, 500, 7));
    expect(bootstrapDraws(s, P90, 500, 8)).not.toEqual(bootstrapDraws(s, P90, 500, 7));
  });

  it('refuses no samples; one sample gives a zero-width interval at that sample', () => {
    expect(() => bootstrapDraws(new Float64Array(0), MEDIAN, 10, 1)).toThrow(RangeError);
    expect(interval([4.2], P90, 1)).toEqual({ lo: 4.2, hi: 4.2 });
  });
});

describe('coverage on known distributions (400 seeded trials each)', () => {
  const TRIALS = 400;

  it.each([
    { name: 'median', stat: MEDIAN, truth: exponentialQuantile(0.5), n: 200 },
    { name: 'P90', stat: P90, truth: exponentialQuantile(0.9), n: 300 },
    { name: 'mean', stat: MEAN, truth: 1, n: 200 },
  ])('a 95% interval of the $name of Exp(1) covers the truth about 95% of the time', ({ stat, truth, n }) => {
    const seen = coverage(TRIALS, truth, (t) => interval(exponential(n, 1000 + t), stat, t));
    // binomial SE at 95% over 400 trials is 1.1%; percentile intervals run slightly under nominal in skewed tails
    expect(seen).toBeGreaterThan(0.91);
    expect(seen).toBeLessThan(0.985);
  });

  it('a 80% interval covers about 80% of the time: the width follows the confidence', () => {
    const seen = coverage(TRIALS, exponentialQuantile(0.5), (t) => interval(exponential(200, 5000 + t), MEDIAN, t, 1000, 0.8));
    expect(seen).toBeGreaterThan(0.74);
    expect(seen).toBeLessThan(0.86);
  });
});

describe('the mean, m-out-of-n above the draw budget', () => {
  it('keeps the width of the full bootstrap (√(m/n) rescaling) and covers the true mean', () => {
    const resamples = 400;
    const n = 20_000; // n × resamples = 8·10⁶ > MEAN_DRAW_BUDGET: m = 10 000 of the 20 000 are drawn
    expect(n * resamples).toBeGreaterThan(MEAN_DRAW_BUDGET);
    const widths: number[] = [];
    const seen = coverage(40, 1, (t) => {
      const ci = interval(exponential(n, 7000 + t), MEAN, t, resamples);
      widths.push(ci.hi - ci.lo);
      return ci;
    });
    // Exp(1) has σ = 1: the 95% interval of the mean of n is 2 · 1.96 / √n wide; without the rescaling it would be √2 wider
    const expected = (2 * 1.96) / Math.sqrt(n);
    const medianWidth = [...widths].sort((a, b) => a - b)[widths.length >> 1]!;
    expect(medianWidth / expected).toBeGreaterThan(0.88);
    expect(medianWidth / expected).toBeLessThan(1.12);
    expect(seen).toBeGreaterThanOrEqual(0.85);
  });
});

describe('clusteredDraws: several measurements (processes) of one model', () => {
  const groupsOf = (...arrays: number[][]): Float64Array[] => arrays.map(sortedSamples);

  it('with one measurement is the plain bootstrap, draw for draw', () => {
    const s = sortedSamples(exponential(100, 3));
    expect(clusteredDraws([s], P90, 300, 9)).toEqual(bootstrapDraws(s, P90, 300, 9));
    expect(() => clusteredDraws([], P90, 10, 1)).toThrow(RangeError);
  });

  it('is deterministic for a seed', () => {
    const g = groupsOf(exponential(100, 1), exponential(120, 2));
    expect(clusteredDraws(g, MEDIAN, 300, 4)).toEqual(clusteredDraws(g, MEDIAN, 300, 4));
    expect(clusteredDraws(g, MEAN, 300, 4)).toEqual(clusteredDraws(g, MEAN, 300, 4));
  });

  it('spans both measurements when they disagree, where pooling them as one would not', () => {
    const a = exponential(400, 21);
    const b = exponential(400, 22, 1.25); // a process that ran 25% slower
    const clustered = percentileInterval(clusteredDraws(groupsOf(a, b), MEDIAN, 2000, 1), 0.95);
    const pooled = interval([...a, ...b], MEDIAN, 1, 2000);
    const medA = percentile([...a].sort((x, y) => x - y), 0.5);
    const medB = percentile([...b].sort((x, y) => x - y), 0.5);
    expect(clustered.lo).toBeLessThan(medA);
    expect(clustered.hi).toBeGreaterThan(medB);
    expect(pooled.lo).toBeGreaterThan(medA);
    expect(pooled.hi).toBeLessThan(medB);
  });

  it('narrows as agreeing measurements are added', () => {
    const a = exponential(200, 31);
    const one = interval(a, P90, 2, 2000);
    const three = percentileInterval(clusteredDraws(groupsOf(a, exponential(200, 32), exponential(200, 33)), P90, 2000, 2), 0.95);
    expect(three.hi - three.lo).toBeLessThan(one.hi - one.lo);
  });

  it('covers the true median of agreeing measurements about as often as asked', () => {
    const seen = coverage(200, exponentialQuantile(0.5), (t) =>
      percentileInterval(clusteredDraws(groupsOf(exponential(150, 9000 + t), exponential(150, 9500 + t)), MEDIAN, 1000, t), 0.95));
    // two clusters: the first stage adds the spread between them, so coverage may run above nominal, never far below
    expect(seen).toBeGreaterThan(0.9);
  });

  it('the mean of pooled measurements weights each by its runs', () => {
    const draws = clusteredDraws(groupsOf([1, 1, 1], [4]), MEAN, 4000, 3);
    // measurements {A,A}: 1, {B,B}: 4, {A,B}: a resample of 1,1,1,4 (mean 1.75 on average)
    const avg = draws.reduce((x, y) => x + y, 0) / draws.length;
    expect(avg).toBeGreaterThan(1.9);
    expect(avg).toBeLessThan(2.2);
    expect(Math.min(...draws)).toBe(1);
    expect(Math.max(...draws)).toBe(4);
  });
});
