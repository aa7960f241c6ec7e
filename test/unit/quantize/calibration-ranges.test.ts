// Calibration statistics without ORT: the growing histogram, and the minmax / entropy / percentile ranges taken from it.
import { describe, expect, it } from 'vitest';
import { RangeHistogram } from '../../../plugins/quantize/calibration/range-histogram.js';
import { activationRange, entropyRange, percentileRange } from '../../../plugins/quantize/calibration/range-methods.js';
import { HEADROOMS, neighbours, PERCENTILES, ruleLabel, ruleRanges, START_RULES } from '../../../plugins/quantize/calibration/range-rules.js';
import { mulberry32 } from '../../../src/ort/seeded-random.js';

/** Standard normal samples (Box-Muller) scaled by `sigma`. */
function gaussian(n: number, seed: number, sigma = 1): Float32Array {
  const rand = mulberry32(seed);
  return Float32Array.from({ length: n }, () => sigma * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
}

describe('calibration statistics', () => {
  it('merges samples of growing range without moving old counts (equal-width bins, symmetric around 0)', () => {
    const h = new RangeHistogram({ histogram: true, bins: 64 });
    const a = Float32Array.from({ length: 1000 }, (_, i) => (i / 999) * 2 - 1); // [-1, 1]
    const b = Float32Array.from([3.3, -0.25, 0.5]);
    h.observe(a);
    h.observe(b);
    const hist = h.histogram()!;
    expect(h.min).toBe(-1);
    expect(h.max).toBeCloseTo(3.3, 5);
    expect(hist.threshold).toBeGreaterThanOrEqual(3.3);
    expect(hist.counts.length % 4).toBe(0);
    expect(hist.counts.reduce((x, y) => x + y, 0)).toBe(1003);
    // the same values binned directly over the final range give the same counts (but for values that sit exactly
    // on a bin edge, which float rounding may put on either side)
    const direct = new Float64Array(hist.counts.length);
    const width = (2 * hist.threshold) / direct.length;
    for (const v of [...a, ...b]) direct[Math.min(direct.length - 1, Math.floor((v + hist.threshold) / width))]! += 1;
    const moved = hist.counts.reduce((sum, c, i) => sum + Math.abs(c - direct[i]!), 0);
    expect(moved).toBeLessThanOrEqual(6);
  });

  it('a range that grows by orders of magnitude rebins instead of allocating millions of bins', () => {
    const h = new RangeHistogram({ histogram: true, bins: 64 });
    h.observe(Float32Array.from([1e-6, -1e-6, 5e-7]));
    h.observe(Float32Array.from([300, -2, 0.5]));
    const hist = h.histogram()!;
    expect(hist.counts.length).toBeLessThanOrEqual(8 * 64);
    expect(hist.threshold).toBeGreaterThanOrEqual(300);
    expect(hist.counts.reduce((x, y) => x + y, 0)).toBe(6);
  });

  it('ignores NaN, keeps infinite values out of the histogram but in min/max, and handles all-zero tensors', () => {
    const h = new RangeHistogram({ histogram: true });
    h.observe(new Float32Array(10));
    expect(h.histogram()).toBeUndefined();
    expect(activationRange(h, 'entropy')).toEqual({ min: 0, max: 0 });
    h.observe(Float32Array.from([Number.NaN, 1, -2]));
    expect([h.min, h.max, h.count]).toEqual([-2, 1, 12]);
    expect(h.histogram()!.counts.reduce((x, y) => x + y, 0)).toBe(12);
  });

  it('minmax is the range seen over every sample', () => {
    const h = new RangeHistogram({ histogram: false });
    h.observe(Float32Array.from([0.5, 2]));
    h.observe(Float32Array.from([-1, 1]));
    expect(activationRange(h, 'minmax')).toEqual({ min: -1, max: 2 });
    expect(h.histogram()).toBeUndefined();
  });

  it('percentile keeps that share of |values|, clipped to the values seen', () => {
    const h = new RangeHistogram({ histogram: true });
    h.observe(Float32Array.from({ length: 100_000 }, (_, i) => i / 100_000)); // uniform [0, 1)
    const r = percentileRange(h.histogram()!, h.min, h.max, 99);
    expect(r.min).toBe(0);
    expect(r.max).toBeGreaterThan(0.985);
    expect(r.max).toBeLessThan(0.995);
    expect(activationRange(h, 'percentile', 100).max).toBeCloseTo(h.max, 6);
  });

  it('entropy clips rare outliers of a bell-shaped activation but keeps the bulk', () => {
    const h = new RangeHistogram({ histogram: true });
    const data = gaussian(200_000, 7);
    data[0] = 40; // one outlier far outside the bulk
    h.observe(data);
    const r = entropyRange(h.histogram()!, h.min, h.max);
    expect(r.max).toBeLessThan(20);
    expect(r.max).toBeGreaterThan(2.5);
    expect(r.min).toBeLessThan(-2.5);
    // a uniform activation has nothing to clip: the window is (nearly) the full range
    const u = new RangeHistogram({ histogram: true });
    u.observe(Float32Array.from({ length: 100_000 }, (_, i) => (i / 100_000) * 2 - 1));
    expect(entropyRange(u.histogram()!, u.min, u.max).max).toBeGreaterThan(0.9);
  });
});

describe('calibration method auto: range rules', () => {
  it('widens a rule\'s range by its headroom, never past the values seen, and computes each method once', () => {
    const h = new RangeHistogram({ histogram: true });
    h.observe(gaussian(20_000, 5));
    const relu = new RangeHistogram({ histogram: true });
    relu.observe(gaussian(20_000, 6).map(Math.abs));
    const observed = new Map([['x', h], ['r', relu]]);
    const memo = new Map();
    const base = ruleRanges(observed, { method: 'percentile', percentile: 99, headroom: 1 }, memo).get('x')!;
    const wide = ruleRanges(observed, { method: 'percentile', percentile: 99, headroom: 1.5 }, memo);
    expect(wide.get('x')!.max).toBeCloseTo(Math.min(h.max, base.max * 1.5), 6);
    expect(wide.get('x')!.min).toBeCloseTo(Math.max(h.min, base.min * 1.5), 6);
    expect(base.max).toBeLessThan(h.max);
    // a positive minimum does not move (widening is away from zero); a headroom past the largest value stops at it
    expect(relu.min).toBeGreaterThan(0);
    expect(ruleRanges(observed, { method: 'percentile', percentile: 99, headroom: 4 }, memo).get('r')).toEqual({ min: relu.min, max: relu.max });
    expect(memo.size).toBe(1);
    expect(ruleRanges(observed, { method: 'minmax', headroom: 1 }).get('x')).toEqual({ min: h.min, max: h.max });
  });

  it('starts from minmax, entropy and three percentiles, and steps one grid point at a time', () => {
    expect(START_RULES.map(ruleLabel)).toContain('minmax');
    expect(START_RULES.map(ruleLabel)).toContain('percentile 99.9 x2');
    expect(new Set(START_RULES.map(ruleLabel)).size).toBe(START_RULES.length);
    const next = neighbours({ method: 'percentile', percentile: 99.9, headroom: 2 }).map(ruleLabel).sort();
    expect(next).toEqual(['percentile 99.5 x2', 'percentile 99.9 x1.5', 'percentile 99.9 x2.5', 'percentile 99.95 x2']);
    // the grid's edges: no step off it; entropy moves along headroom only; minmax does not move
    expect(neighbours({ method: 'percentile', percentile: PERCENTILES[0]!, headroom: HEADROOMS.at(-1)! }).map(ruleLabel).sort()).toEqual(['percentile 99 x3', 'percentile 99.5 x4']);
    expect(neighbours({ method: 'entropy', headroom: 1 }).map(ruleLabel)).toEqual(['entropy x1.25']);
    expect(neighbours({ method: 'minmax', headroom: 1 })).toEqual([]);
  });
});
