import { describe, expect, it } from 'vitest';
import { evaluateSlos, gatePassed } from '../../../src/gate/evaluate-slos.js';
import { benchmarkValues, relativeValues } from '../../../src/gate/metric-values.js';

describe('evaluateSlos', () => {
  const final = { 'latency.p90_ms': 10, size_mb: 3, throughput_ips: 120, 'accuracy.top1': 0.7 };
  const baseline = { 'latency.p90_ms': 30, size_mb: 12, throughput_ips: 40, 'accuracy.top1': 0.72 };

  it.each([
    ['latency.p90_ms', { max: 12 }, 'pass'],
    ['latency.p90_ms', { max: 9.99 }, 'fail'],
    ['latency.p90_ms', { max: 10 }, 'pass'], // the bound is inclusive
    ['throughput_ips', { min: 100 }, 'pass'],
    ['throughput_ips', { min: 121 }, 'fail'],
    ['accuracy.top1', { max_drop: 0.03 }, 'pass'],
    ['accuracy.top1', { max_drop: 0.01 }, 'fail'],
    ['size_mb', { max_drop: 0 }, 'pass'], // smaller is an improvement, not a drop
    ['peak_memory_mb', { max: 100 }, 'unmeasured'],
  ] as const)('%s %o → %s', (metric, threshold, status) => {
    const [v] = evaluateSlos({ slo: { [metric]: threshold }, final, baseline });
    expect(v!.status).toBe(status);
    expect(v!.message.length).toBeGreaterThan(0);
  });

  it('latency max_drop is a worsening (higher) against the baseline', () => {
    const [v] = evaluateSlos({ slo: { 'latency.p90_ms': { max_drop: 1 } }, final: { 'latency.p90_ms': 32 }, baseline });
    expect(v!.status).toBe('fail');
  });

  it('a gate passes only when every verdict passes; unmeasured is not a pass', () => {
    expect(gatePassed(evaluateSlos({ slo: { size_mb: { max: 4 } }, final, baseline }))).toBe(true);
    expect(gatePassed(evaluateSlos({ slo: { size_mb: { max: 4 }, peak_memory_mb: { max: 1 } }, final, baseline }))).toBe(false);
  });

  it('attaches the SLO line from the recipe', () => {
    const loc = { file: 'r.yaml', line: 9, column: 22 };
    const [v] = evaluateSlos({ slo: { size_mb: { max: 1 } }, final, baseline, locations: { '/slo/size_mb/max': loc } });
    expect(v!.location).toEqual(loc);
  });
});

describe('metric values', () => {
  it('flattens benchmark metrics and computes the speedup from P50s', () => {
    const b = benchmarkValues({ latency: { p50_ms: 20, p90_ms: 25 }, size_mb: 8, peak_memory_mb: 90, throughput_ips: 50 });
    const f = benchmarkValues({ latency: { p50_ms: 5, p90_ms: 6 }, size_mb: 2, peak_memory_mb: 70, throughput_ips: 200, energy: { measurable: false } });
    expect(f['latency.p90_ms']).toBe(6);
    expect(f.energy_mj).toBeUndefined();
    expect(relativeValues(f, b).speedup_vs_baseline).toBe(4);
  });
});
