// Intervals of the values SLOs judge: which metrics are noisy, coverage of P99 / speedup / drops, and what is counted.
import { describe, expect, it } from 'vitest';
import { intervalFor, isNoisyMetric, needsBaseline } from '../../../src/gate/latency-intervals.js';
import { quantileBounds, runsToBound } from '../../../src/gate/quantile-bounds.js';
import { sortedSamples } from '../../../src/gate/bootstrap.js';
import { coverage, exponential, exponentialQuantile, shiftedExponential } from './synthetic-samples.js';

const FAST = { resamples: 1000, confidence: 0.95, seed: 3 };

describe('quantileBounds (order statistics)', () => {
  it('gives the textbook interval of a median of 10: X₍₂₎ … X₍₉₎', () => {
    expect(quantileBounds(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 0.5, 0.95)).toEqual({ lo: 2, hi: 9 });
  });

  it('says which side it cannot bound', () => {
    expect(quantileBounds(sortedSamples(exponential(50, 1)), 0.99, 0.95).open).toBe('hi');
    expect(quantileBounds(Float64Array.from([1, 2, 3]), 0.5, 0.95).open).toBe('both');
    expect(quantileBounds(sortedSamples(exponential(2000, 1)), 0.99, 0.95).open).toBeUndefined();
    expect(() => quantileBounds(Float64Array.from([1]), 1, 0.95)).toThrow(RangeError);
  });

  it('covers P99 of Exp(1) at least 95% of the time where the bootstrap alone does not', () => {
    const seen = coverage(400, exponentialQuantile(0.99), (t) => quantileBounds(sortedSamples(exponential(300, 1000 + t)), 0.99, 0.95));
    expect(seen).toBeGreaterThanOrEqual(0.93);
  });

  it('handles a million runs without underflow: the ranks are n/2 ± 1.96·√n/2', () => {
    const ranks = Float64Array.from({ length: 1_000_000 }, (_, i) => i + 1);
    expect(quantileBounds(ranks, 0.5, 0.95)).toEqual({ lo: 499_020, hi: 500_981 });
  });
});

describe('intervalFor', () => {
  it('knows the noisy metrics and which need the baseline', () => {
    expect(['latency.p50_ms', 'latency.p90_ms', 'latency.p99_ms', 'latency.mean_ms', 'throughput_ips', 'speedup_vs_baseline'].every(isNoisyMetric)).toBe(true);
    expect(['latency.max_ms', 'size_mb', 'peak_memory_mb', 'load_ms', 'accuracy.top1'].some(isNoisyMetric)).toBe(false);
    expect(needsBaseline('speedup_vs_baseline', 'min')).toBe(true);
    expect(needsBaseline('latency.p90_ms', 'max_drop')).toBe(true);
    expect(needsBaseline('latency.p90_ms', 'max')).toBe(false);
  });

  it('gives nothing for a metric without an interval or samples it lacks', () => {
    const final = [exponential(100, 1)];
    expect(intervalFor('size_mb', 'max', { final })).toBeUndefined();
    expect(intervalFor('latency.p90_ms', 'max', {})).toBeUndefined();
    expect(intervalFor('latency.p90_ms', 'max', { final: [[]] })).toBeUndefined();
    expect(intervalFor('latency.p90_ms', 'max_drop', { final })).toBeUndefined();
    expect(intervalFor('speedup_vs_baseline', 'max_drop', { final, baseline: final })).toBeUndefined();
  });

  it('covers P99 about 95% of the time (bootstrap ∪ order statistics)', () => {
    const seen = coverage(300, exponentialQuantile(0.99), (t) => intervalFor('latency.p99_ms', 'max', { final: [exponential(300, 2000 + t)] }, { ...FAST, seed: t })!);
    expect(seen).toBeGreaterThanOrEqual(0.93);
  });

  it('covers the true speedup (ratio of medians) about 95% of the time', () => {
    // baseline Exp(mean 2), final Exp(mean 1): medians 2·ln 2 and ln 2, speedup 2
    const seen = coverage(300, 2, (t) => intervalFor('speedup_vs_baseline', 'min', {
      final: [exponential(200, 3000 + t)], baseline: [exponential(200, 4000 + t, 2)],
    }, { ...FAST, seed: t })!);
    expect(seen).toBeGreaterThan(0.9);
    expect(seen).toBeLessThan(0.99);
  });

  it('a latency max_drop interval is of the worsening and holds 0 for an unchanged model', () => {
    const seen = coverage(200, 0, (t) => intervalFor('latency.p90_ms', 'max_drop', {
      final: [shiftedExponential(200, 5000 + t, 1, 0.2)], baseline: [shiftedExponential(200, 6000 + t, 1, 0.2)],
    }, { ...FAST, seed: t })!);
    expect(seen).toBeGreaterThan(0.9);
    const slower = intervalFor('latency.p90_ms', 'max_drop', {
      final: [shiftedExponential(400, 1, 1.5, 0.2)], baseline: [shiftedExponential(400, 2, 1, 0.2)],
    }, FAST)!;
    expect(slower.lo).toBeGreaterThan(0.3); // 0.5 ms slower
    expect(slower.hi).toBeLessThan(0.7);
    expect(slower).toMatchObject({ samples: 400, baseline_samples: 400, measurements: 1, baseline_measurements: 1 });
  });

  it('throughput is 1000 / mean: its interval mirrors the mean\'s', () => {
    const final = [shiftedExponential(300, 8, 2, 0.5)];
    const mean = intervalFor('latency.mean_ms', 'max', { final }, FAST)!;
    const ips = intervalFor('throughput_ips', 'min', { final }, FAST)!;
    // equal up to the interpolation between two draws
    expect(ips.lo / (1000 / mean.hi)).toBeCloseTo(1, 5);
    expect(ips.hi / (1000 / mean.lo)).toBeCloseTo(1, 5);
  });

  it('counts samples and measurements, names its method, and is deterministic', () => {
    const final = [exponential(100, 1), exponential(150, 2), exponential(120, 3)];
    const a = intervalFor('latency.p50_ms', 'max', { final }, FAST)!;
    expect(a).toMatchObject({ samples: 370, measurements: 3, confidence: 0.95, resamples: 1000 });
    expect(a.method).toMatch(/^cluster-bootstrap-percentile/);
    expect(intervalFor('latency.p50_ms', 'max', { final }, FAST)).toEqual(a);
    expect(intervalFor('latency.mean_ms', 'max', { final: [final[0]!] }, FAST)!.method).toBe('bootstrap-percentile');
    expect(intervalFor('latency.p99_ms', 'max', { final: [exponential(50, 1)] }, FAST)!.open).toBe('hi');
  });
});

describe('runsToBound', () => {
  it.each([
    [0.5, 'hi', 6], [0.5, 'lo', 6], [0.9, 'hi', 36], [0.99, 'hi', 368], [0.9, 'lo', 2],
  ] as const)('q=%d from %s at 95%% needs %d runs, and that many do bound it', (q, side, n) => {
    expect(runsToBound(q, 0.95, side)).toBe(n);
    const open = (k: number): string | undefined => quantileBounds(Float64Array.from({ length: k }, (_, i) => i), q, 0.95).open;
    expect(open(n) === side || open(n) === 'both').toBe(false);
    expect(open(n - 1) === side || open(n - 1) === 'both').toBe(true);
  });
});
