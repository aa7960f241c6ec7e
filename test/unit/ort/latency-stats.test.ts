// Percentiles (linear interpolation, numpy's default) and summary statistics of latency samples.
import { describe, expect, it } from 'vitest';
import { percentile, summarizeLatencies } from '../../../src/ort/latency-stats.js';

describe('percentile (Hyndman–Fan type 7)', () => {
  // expected values from numpy.percentile(x, q) with the default method='linear'
  it.each([
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 2, 3, 4], 0.9, 3.7],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9.1],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99, 9.91],
    [[5], 0.99, 5],
    [[3, 7], 0, 3],
    [[3, 7], 1, 7],
  ])('of %j at q=%d is %d', (xs, q, want) => {
    expect(percentile(xs, q)).toBeCloseTo(want, 12);
  });

  it('refuses no samples', () => {
    expect(() => percentile([], 0.5)).toThrow(RangeError);
  });
});

describe('summarizeLatencies', () => {
  it('orders p50 ≤ p90 ≤ p99 within [min, max] regardless of input order', () => {
    const s = summarizeLatencies([9, 1, 5, 3, 7, 2, 8, 4, 6, 10]);
    expect(s.min_ms).toBe(1);
    expect(s.max_ms).toBe(10);
    expect(s.p50_ms).toBeCloseTo(5.5, 12);
    expect(s.p90_ms).toBeCloseTo(9.1, 12);
    expect(s.mean_ms).toBeCloseTo(5.5, 12);
    // sample stddev of 1..10 = sqrt(82.5 / 9)
    expect(s.stddev_ms).toBeCloseTo(Math.sqrt(82.5 / 9), 12);
  });

  it('gives stddev 0 for one sample', () => {
    expect(summarizeLatencies([2.5])).toMatchObject({ p50_ms: 2.5, p99_ms: 2.5, stddev_ms: 0 });
  });
});
