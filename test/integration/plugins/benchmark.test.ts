// The `benchmark` plugin through its public contract: params schema, metrics shape, warnings, progress.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { benchmarkPlugin } from '../../../plugins/benchmark/index.js';
import { HELLO_DEEPA, removeTestTmpDirs, SILERO, SILERO_PINS, testContext } from '../ort/step-context.js';

afterAll(removeTestTmpDirs);

const QUICK = { warmup: 3, runs: 20, min_time_ms: 150 };

describe('benchmark plugin', () => {
  const validate = new Ajv2020({ strict: true, allErrors: true }).compile(benchmarkPlugin.params);

  it('has a strict params schema', () => {
    expect(validate(QUICK)).toBe(true);
    expect(validate({ iterations: 5 })).toBe(false);
    expect(validate({ runs: 0 })).toBe(false);
    expect(validate({ threads: 1.5 })).toBe(false);
    expect(validate({ threads: [1, 2, 4], load: 'heavy', seed: 3 })).toBe(true);
    expect(validate({ threads: [] })).toBe(false);
    expect(validate({ threads: [2, 2] })).toBe(false);
    expect(validate({ load: 'busy' })).toBe(false);
  });

  it('sweeps threads: each setting\'s figures, and the step\'s are the best one\'s', async () => {
    const ctx = testContext(HELLO_DEEPA);
    const out = await benchmarkPlugin.run(ctx, { ...QUICK, threads: [2, 1], load: 'mid' });
    const m = out.metrics as Record<string, any>;
    expect(m.sweep.settings.map((s: { threads: number }) => s.threads)).toEqual([2, 1]);
    const best = m.sweep.settings.reduce((a: any, b: any) => (b.p50_ms < a.p50_ms ? b : a));
    expect(m.sweep).toMatchObject({ by: 'latency.p50_ms', best_threads: best.threads });
    expect(m.threads).toBe(best.threads);
    expect(m.latency.p50_ms).toBe(best.p50_ms);
    expect(m.latency.samples_ms).toHaveLength(best.runs);
    expect(m.load).toMatchObject({ level: 'mid' });
    const fractions = ctx.progressCalls.map(([f]) => f);
    expect(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1]!))).toBe(true);
    expect(ctx.progressCalls.some(([, msg]) => msg === 'warmup (1 thread)')).toBe(true);
    expect(ctx.logs.filter((l) => /mid load: p50/.test(l))).toHaveLength(2);
  });

  it('produces metrics SLOs can address, with the EP that really ran', async () => {
    const ctx = testContext(HELLO_DEEPA, { target: { format: 'onnx', ep: ['xnnpack', 'cpu'], threads: 1 } });
    const out = await benchmarkPlugin.run(ctx, QUICK);
    const m = out.metrics as Record<string, any>;
    expect(out.files).toEqual({});
    expect(m.latency.p50_ms).toBeLessThanOrEqual(m.latency.p90_ms);
    expect(m.latency.p90_ms).toBeLessThanOrEqual(m.latency.p99_ms);
    expect(m.latency.samples_ms).toHaveLength(m.runs);
    expect(m.runs).toBeGreaterThanOrEqual(QUICK.runs);
    expect(m.size_mb).toBe(316022 / 1e6);
    expect(m.peak_memory_mb).toBeGreaterThan(40);
    expect(m.load_ms).toBeGreaterThan(0);
    expect(m.threads).toBe(1);
    expect(m.ort_version).toBe('1.30.0');
    expect(m.ep).toMatchObject({ requested: ['xnnpack', 'cpu'], ran: 'cpu', unavailable: [{ ep: 'xnnpack' }] });
    expect(m.energy).toMatchObject({ measurable: false });
    expect(out.warnings?.[0]).toMatch(/measured on cpu, not the preferred xnnpack \(xnnpack: not a backend/);
    const fractions = ctx.progressCalls.map(([f]) => f);
    expect(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1]!))).toBe(true);
  });

  it('uses the recipe\'s pins and its threads param over target.threads', async () => {
    const ctx = testContext(SILERO, { pins: SILERO_PINS, target: { format: 'onnx', ep: ['cpu'], threads: 1 } });
    const out = await benchmarkPlugin.run(ctx, { ...QUICK, threads: 2 });
    expect(out.metrics).toMatchObject({ threads: 2, ep: { ran: 'cpu', unavailable: [] }, load: { level: 'idle', workers: 0 } });
    expect((out.metrics as Record<string, unknown>).sweep).toBeUndefined();
    expect(out.warnings).toBeUndefined();
  });

  it('warns when max_time_ms caps the runs', async () => {
    const ctx = testContext(HELLO_DEEPA);
    const out = await benchmarkPlugin.run(ctx, { warmup: 0, runs: 100_000_000, min_time_ms: 0, max_time_ms: 50 });
    expect(out.metrics).toMatchObject({ capped: true });
    expect(out.warnings?.join()).toMatch(/max_time_ms/);
  });
});
