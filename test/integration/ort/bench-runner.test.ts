// The isolated bench runner on real models: statistics, memory, EP report, and every way a measurement can fail.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBenchmark, type BenchResult } from '../../../src/ort/bench-runner.js';
import { HELLO_DEEPA, removeTestTmpDirs, SILERO, SILERO_PINS, testTmpDir } from './step-context.js';

afterAll(removeTestTmpDirs);

const QUICK = { warmup: 5, runs: 30, minTimeMs: 200 };

function expectSaneStats(r: BenchResult, minRuns: number): void {
  const l = r.latency;
  expect(r.runs).toBeGreaterThanOrEqual(minRuns);
  expect(r.samples_ms).toHaveLength(r.runs);
  expect(l.min_ms).toBeGreaterThan(0);
  expect(l.min_ms).toBeLessThanOrEqual(l.p50_ms);
  expect(l.p50_ms).toBeLessThanOrEqual(l.p90_ms);
  expect(l.p90_ms).toBeLessThanOrEqual(l.p99_ms);
  expect(l.p99_ms).toBeLessThanOrEqual(l.max_ms);
  expect(r.throughput_ips).toBeCloseTo(1000 / l.mean_ms, 6);
  expect(r.measure_ms).toBeGreaterThanOrEqual(QUICK.minTimeMs);
  expect(r.capped).toBe(false);
  // VmHWM of a process that loaded ORT and a model: bare node alone is ~40 MB here
  expect(r.memory.peak_rss_bytes).toBeGreaterThan(40e6);
  expect(r.memory.peak_rss_bytes).toBeGreaterThanOrEqual(r.memory.baseline_rss_bytes ?? 0);
  expect(r.load_ms).toBeGreaterThan(0);
  expect(r.ort_version).toBe('1.30.0');
}

describe('runBenchmark', () => {
  it('measures silero with pinned inputs, falling back from webgpu/xnnpack to cpu', async () => {
    const phases: string[] = [];
    const r = await runBenchmark({
      modelPath: SILERO, ep: ['webgpu', 'xnnpack', 'cpu'], threads: 1, pins: SILERO_PINS, ...QUICK,
      onProgress: (_f, phase) => phases.push(phase),
    });
    expectSaneStats(r, QUICK.runs);
    expect(r.ep).toMatchObject({ requested: ['webgpu', 'xnnpack', 'cpu'], ran: 'cpu' });
    expect(r.ep.unavailable.map((u) => u.ep)).toEqual(['webgpu', 'xnnpack']);
    expect(r.threads).toEqual({ intra_op: 1, inter_op: 1 });
    expect(r.model.size_bytes).toBe(1807522);
    expect(phases).toContain('load');
    expect(phases).toContain('warmup');
    // this machine has no /sys/class/powercap: the figure must be absent, with a reason
    expect(r.energy.measurable).toBe(false);
    if (!r.energy.measurable) expect(r.energy.reason).toMatch(/powercap|RAPL/);
  });

  it('measures hello_deepa (fixed input shape) at 2 threads', async () => {
    const r = await runBenchmark({ modelPath: HELLO_DEEPA, ep: ['cpu'], threads: 2, ...QUICK });
    expectSaneStats(r, QUICK.runs);
    expect(r.threads.intra_op).toBe(2);
    expect(r.harness.loader).toBe('node');
  });

  it('stops at max_time_ms and says so', async () => {
    const r = await runBenchmark({ modelPath: HELLO_DEEPA, ep: ['cpu'], threads: 1, warmup: 0, runs: 1e9, minTimeMs: 0, maxTimeMs: 100 });
    expect(r.capped).toBe(true);
    expect(r.runs).toBeLessThan(1e9);
    expect(r.measure_ms).toBeGreaterThanOrEqual(100);
  });

  it('reports a corrupt model as E_BENCH_FAILED with ORT\'s message and no stack', async () => {
    const bad = path.join(testTmpDir(), 'corrupt.onnx');
    writeFileSync(bad, Buffer.from('this is not a protobuf model, just text'));
    const err = await runBenchmark({ modelPath: bad, ep: ['cpu'], threads: 1, ...QUICK }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_BENCH_FAILED', kind: 'step' });
    const message = (err as Error).message;
    expect(message).toMatch(/^benchmark of corrupt\.onnx failed: /);
    expect(message).toMatch(/protobuf parsing failed/i);
    expect(message).not.toMatch(/\n\s+at /);
  });

  it('passes pin errors from the child through with their code', async () => {
    const err = await runBenchmark({ modelPath: SILERO, ep: ['cpu'], threads: 1, ...QUICK }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_DYNAMIC_DIM', kind: 'recipe', hint: expect.stringContaining('model.inputs.input') });
  });

  it('fails with E_EP_UNAVAILABLE when no listed EP works', async () => {
    const err = await runBenchmark({ modelPath: HELLO_DEEPA, ep: ['nnapi'], threads: 1, ...QUICK }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_EP_UNAVAILABLE', kind: 'step' });
  });

  it('stops the child when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    const err = await runBenchmark({
      modelPath: HELLO_DEEPA, ep: ['cpu'], threads: 1, warmup: 0, runs: 1e9, minTimeMs: 60_000, signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_ABORTED', kind: 'interrupted' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives a clear error when the timeout passes', async () => {
    const err = await runBenchmark({
      modelPath: HELLO_DEEPA, ep: ['cpu'], threads: 1, warmup: 0, runs: 1e9, minTimeMs: 60_000, timeoutMs: 500,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_BENCH_TIMEOUT', kind: 'step', message: expect.stringContaining('did not finish within 0.5 s') });
  });

  it('refuses a missing model file before spawning', async () => {
    const err = await runBenchmark({ modelPath: '/nonexistent/model.onnx', ep: ['cpu'], threads: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_BENCH_FAILED', message: expect.stringContaining('does not exist') });
  });
});
