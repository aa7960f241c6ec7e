// The noise-aware decision: clear vs marginal calls (table-driven), intervals on verdicts, pooling, what to re-measure.
import { describe, expect, it } from 'vitest';
import { classify, noiseAwareVerdicts, remeasureNeeds } from '../../../src/gate/noise-aware.js';
import { pooledBenchmarkValues, recipeGate } from '../../../src/gate/recipe-gate.js';
import { summarizeLatencies } from '../../../src/ort/latency-stats.js';
import { shiftedExponential } from './synthetic-samples.js';

describe('classify', () => {
  it.each([
    // bound, limit, point value, interval, call
    ['max', 10, 8, { lo: 7, hi: 9 }, 'pass'],
    ['max', 10, 8, { lo: 7, hi: 10 }, 'pass'], // the bound is inclusive
    ['max', 10, 9, { lo: 8, hi: 11 }, 'marginal'],
    ['max', 10, 11, { lo: 9, hi: 12 }, 'marginal'],
    ['max', 10, 12, { lo: 11, hi: 13 }, 'fail'],
    ['max', 10, 12, { lo: 10, hi: 13 }, 'marginal'], // lo = limit could still pass
    ['max', 10, 8, { lo: 7, hi: 9, open: 'hi' }, 'marginal'], // too few runs to bound a tail quantile from above
    ['max', 10, 12, { lo: 11, hi: 13, open: 'hi' }, 'fail'], // … but even its lower bound is over
    ['max', 10, 8, { lo: 7, hi: 9, open: 'both' }, 'marginal'],
    ['min', 100, 120, { lo: 110, hi: 130 }, 'pass'],
    ['min', 100, 120, { lo: 100, hi: 130 }, 'pass'],
    ['min', 100, 105, { lo: 95, hi: 115 }, 'marginal'],
    ['min', 100, 90, { lo: 80, hi: 99 }, 'fail'],
    ['min', 100, 90, { lo: 80, hi: 100 }, 'marginal'],
    ['min', 100, 120, { lo: 110, hi: 130, open: 'lo' }, 'marginal'],
    ['max_drop', 0.5, 0.2, { lo: 0.1, hi: 0.4 }, 'pass'],
    ['max_drop', 0.5, 0.4, { lo: 0.2, hi: 0.7 }, 'marginal'],
    ['max_drop', 0.5, 0.9, { lo: 0.6, hi: 1.2 }, 'fail'],
    // a point estimate outside its own interval is never a clear call
    ['max', 10, 9, { lo: 10.5, hi: 12 }, 'marginal'],
    ['max', 10, 11, { lo: 8, hi: 9.5 }, 'marginal'],
  ] as const)('%s %d, value %d, interval %o → %s', (bound, limit, value, interval, call) => {
    expect(classify(bound, limit, value, interval)).toBe(call);
  });
});

const runs = (n: number, seed: number, floor = 2, tail = 0.4): number[] => shiftedExponential(n, seed, floor, tail);
const metricsOf = (samples: number[]): Record<string, unknown> => {
  const l = summarizeLatencies(samples);
  return { latency: { ...l, samples_ms: samples }, throughput_ips: 1000 / l.mean_ms, size_mb: 1.5, energy: { measurable: false, reason: '/sys/class/powercap does not exist' } };
};

describe('noiseAwareVerdicts', () => {
  const final = runs(200, 1);
  const stats = summarizeLatencies(final);
  const values = { 'latency.p90_ms': stats.p90_ms, 'latency.p50_ms': stats.p50_ms, size_mb: 1.5 };
  const judge = (slo: Record<string, Record<string, number>>): ReturnType<typeof noiseAwareVerdicts> =>
    noiseAwareVerdicts({ slo, final: values, baseline: {}, samples: { final: [final] }, confidence: 0.95 });

  it('puts an interval on latency verdicts only, around the point estimate', () => {
    const [latency, size] = judge({ 'latency.p90_ms': { max: 100 }, size_mb: { max: 2 } });
    expect(latency!.metric).toBe('latency.p90_ms');
    expect(latency!.interval!.lo).toBeLessThan(stats.p90_ms);
    expect(latency!.interval!.hi).toBeGreaterThan(stats.p90_ms);
    expect(latency!.interval).toMatchObject({ samples: 200, measurements: 1, confidence: 0.95 });
    expect(latency!.marginal).toBeUndefined();
    expect(size!.metric).toBe('size_mb');
    expect(size!.interval).toBeUndefined();
  });

  it('a limit at the point estimate is marginal; far from it, a clear call either way', () => {
    expect(judge({ 'latency.p90_ms': { max: stats.p90_ms } })[0]).toMatchObject({ status: 'pass', marginal: true, message: expect.stringMatching(/within the noise after 1 measurement$/) });
    expect(judge({ 'latency.p90_ms': { max: stats.p90_ms * 0.98 } })[0]).toMatchObject({ status: 'fail', marginal: true });
    expect(judge({ 'latency.p90_ms': { max: stats.p90_ms * 2 } })[0]).toMatchObject({ status: 'pass' });
    expect(judge({ 'latency.p90_ms': { max: stats.p90_ms / 2 } })[0]).toMatchObject({ status: 'fail' });
    expect(judge({ 'latency.p90_ms': { max: stats.p90_ms / 2 } })[0]!.marginal).toBeUndefined();
  });

  it('says why a metric cannot be measured here', () => {
    const [v] = noiseAwareVerdicts({ slo: { energy_mj: { max: 1 } }, final: {}, baseline: {}, samples: {}, confidence: 0.95, unmeasurable: { energy_mj: 'no RAPL' } });
    expect(v).toMatchObject({ status: 'unmeasured', message: 'energy_mj is not measurable here: no RAPL' });
  });
});

describe('remeasureNeeds', () => {
  it.each([
    [[], { final: false, baseline: false }],
    [[{ metric: 'latency.p90_ms', bound: 'max', marginal: true }], { final: true, baseline: false }],
    [[{ metric: 'latency.p90_ms', bound: 'max_drop', marginal: true }], { final: true, baseline: true }],
    [[{ metric: 'speedup_vs_baseline', bound: 'min', marginal: true }], { final: true, baseline: true }],
    [[{ metric: 'speedup_vs_baseline', bound: 'min' }, { metric: 'latency.p50_ms', bound: 'max', marginal: true }], { final: true, baseline: false }],
    // a clear fail on one measurement is confirmed by a second; on two it stands; a fail without an interval is not noise
    [[{ metric: 'latency.p90_ms', bound: 'max', status: 'fail', interval: { measurements: 1 } }], { final: true, baseline: false }],
    [[{ metric: 'latency.p90_ms', bound: 'max', status: 'fail', interval: { measurements: 2 } }], { final: false, baseline: false }],
    [[{ metric: 'speedup_vs_baseline', bound: 'min', status: 'fail', interval: { measurements: 1 } }], { final: true, baseline: true }],
    [[{ metric: 'size_mb', bound: 'max', status: 'fail' }], { final: false, baseline: false }],
    [[{ metric: 'latency.p90_ms', bound: 'max', status: 'pass', interval: { measurements: 1 } }], { final: false, baseline: false }],
  ] as const)('%j → %o', (verdicts, need) => {
    const full = verdicts.map((v) => ({ limit: 1, status: 'pass' as const, message: '', ...v })) as unknown as Parameters<typeof remeasureNeeds>[0];
    expect(remeasureNeeds(full)).toEqual(need);
  });
});

describe('recipeGate', () => {
  it('pools the latency of several measurements; other figures stay the first\'s', () => {
    const a = runs(100, 1);
    const b = runs(150, 2);
    const pooled = pooledBenchmarkValues([metricsOf(a), { ...metricsOf(b), size_mb: 99 }]);
    const all = summarizeLatencies([...a, ...b]);
    expect(pooled['latency.p90_ms']).toBe(all.p90_ms);
    expect(pooled.throughput_ips).toBe(1000 / all.mean_ms);
    expect(pooled.size_mb).toBe(1.5);
    expect(pooledBenchmarkValues([metricsOf(a)])).toMatchObject({ 'latency.p90_ms': summarizeLatencies(a).p90_ms });
  });

  it('judges speedup from both sides and counts every measurement of each', () => {
    const g = recipeGate({
      slo: { speedup_vs_baseline: { min: 1.2 }, energy_mj: { max: 1 } }, confidence: 0.95,
      final: [metricsOf(runs(200, 3, 1, 0.2)), metricsOf(runs(200, 4, 1, 0.2))], baseline: [metricsOf(runs(200, 5, 2, 0.4))],
    });
    const [energy, speedup] = g.verdicts;
    expect(speedup).toMatchObject({ metric: 'speedup_vs_baseline', status: 'pass', interval: { measurements: 2, baseline_measurements: 1, samples: 400, baseline_samples: 200 } });
    expect(speedup!.marginal).toBeUndefined();
    expect(g.final.speedup_vs_baseline).toBeCloseTo(g.baseline['latency.p50_ms']! / g.final['latency.p50_ms']!, 12);
    expect(energy!.message).toMatch(/not measurable here: \/sys\/class\/powercap/);
  });
});
