// The noise-aware gate through the real CLI: a limit inside the noise is re-measured, retries are bounded and cached.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProject, QUICK_BENCH, runCli, WAKEWORD } from './cli-harness.js';

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await fs.rm(d, { recursive: true, force: true }); });

const recipe = (slo: string, gate = ''): string => `name: ww
model: ../models/ww.onnx
target: { ep: [cpu], threads: 1 }
${QUICK_BENCH}
${gate}
slo:
${slo}
`;

interface Step { kind: string; status: string; key: string; metrics: Record<string, any> }
interface Verdict { metric: string; status: string; marginal?: boolean; interval?: Record<string, any>; value?: number; message: string }
interface Report { slo: Verdict[]; steps: Step[]; final: Record<string, number> }

async function build(dir: string, args: string[] = []): Promise<{ exitCode: number; report: Report; stdout: string }> {
  const r = await runCli(['build', ...args], dir);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.exitCode, r.stderr).toBeGreaterThanOrEqual(0);
  const report = JSON.parse(await fs.readFile(path.join(dir, '.edgeopt/out/ww/report.json'), 'utf8')) as Report;
  return { exitCode: r.exitCode, report, stdout: r.stdout };
}

const finalStep = (r: Report): Step => r.steps.find((s) => s.kind === 'final')!;

describe('noise-aware gate', () => {
  it('re-measures a verdict whose limit sits inside the noise, pools, and keeps the cache record one run\'s', async () => {
    const dir = await makeProject({ 'models/ww.onnx': { copy: WAKEWORD }, 'recipes/ww.yaml': recipe('  latency.p50_ms: { max: 10000 }', 'gate: { retries: 1 }') });
    dirs.push(dir);
    const clear = await build(dir);
    expect(clear.exitCode).toBe(0);
    const [far] = clear.report.slo;
    expect(far).toMatchObject({ status: 'pass', interval: { measurements: 1, confidence: 0.95 } });
    expect(far!.marginal).toBeUndefined();
    expect(finalStep(clear.report).metrics.measurements).toEqual({ count: 1 });
    expect(clear.stdout).toMatch(/latency\.p50_ms\s+max 10000 .*95% CI \S+–\S+.*, 1 measurement\b/);

    // the limit at the measured P50: its interval straddles it by construction, and the final benchmark is cached
    const p50 = clear.report.final['latency.p50_ms']!;
    await fs.writeFile(path.join(dir, 'recipes/ww.yaml'), recipe(`  latency.p50_ms: { max: ${p50} }`, 'gate: { retries: 1 }'));
    const inside = await build(dir);
    const [v] = inside.report.slo;
    const step = finalStep(inside.report);
    expect(step.status).toBe('cached');
    expect(v!.interval!.measurements).toBe(2);
    expect(v!.interval!.samples).toBe(step.metrics.measurements.pooled.runs);
    expect(step.metrics.measurements).toMatchObject({ count: 2, each: [{ seed: 0, status: 'cached' }, { seed: 1, status: 'built' }] });
    expect(step.metrics.measurements.each[1].key).not.toBe(step.key);
    // the verdict's value is the pooled one; the step's own figures and the cache record stay the first run's
    expect(v!.value).toBe(step.metrics.measurements.pooled.p50_ms);
    expect(step.metrics.latency.samples_ms).toEqual(finalStep(clear.report).metrics.latency.samples_ms);
    const record = JSON.parse(await fs.readFile(path.join(dir, '.edgeopt/cache/ac', `${step.key}.json`), 'utf8'));
    expect(record.metrics.latency.samples_ms).toEqual(finalStep(clear.report).metrics.latency.samples_ms);
    expect(inside.exitCode).toBe(v!.status === 'pass' ? 0 : 1);

    // a no-op rebuild finds the re-measurement in the cache: same measurements, same verdict
    const again = await build(dir);
    expect(finalStep(again.report).metrics.measurements.each.map((e: { status: string }) => e.status)).toEqual(['cached', 'cached']);
    expect(again.report.slo[0]).toEqual(v);
  });

  it('stops re-measuring when a verdict becomes clear, else after the allowed retries; confirms a fail once', async () => {
    const dir = await makeProject({ 'models/ww.onnx': { copy: WAKEWORD }, 'recipes/ww.yaml': recipe('  latency.p90_ms: { max: 10000 }') });
    dirs.push(dir);
    const first = await build(dir);
    const p90 = first.report.final['latency.p90_ms']!;

    await fs.writeFile(path.join(dir, 'recipes/ww.yaml'), recipe(`  latency.p90_ms: { max: ${p90} }`, 'gate: { retries: 0 }'));
    const none = (await build(dir)).report.slo[0]!;
    expect(none).toMatchObject({ marginal: true, interval: { measurements: 1 }, message: expect.stringMatching(/within the noise after 1 measurement/) });

    await fs.writeFile(path.join(dir, 'recipes/ww.yaml'), recipe(`  latency.p90_ms: { max: ${p90} }`, 'gate: { retries: 2, confidence: 0.9 }'));
    const v = (await build(dir)).report.slo[0]!;
    const n = v.interval!.measurements;
    expect(v.interval!.confidence).toBe(0.9);
    expect(n).toBeGreaterThanOrEqual(2);
    expect(n).toBeLessThanOrEqual(3);
    // fewer than 1 + retries measurements only when the verdict became clear
    if (n < 3) expect(v.marginal).toBeUndefined();

    // a clear fail is confirmed by exactly one more measurement before the build fails on it
    await fs.writeFile(path.join(dir, 'recipes/ww.yaml'), recipe(`  latency.p90_ms: { max: ${p90 / 100} }`));
    const failed = await build(dir);
    expect(failed.exitCode).toBe(1);
    expect(failed.report.slo[0]).toMatchObject({ status: 'fail', interval: { measurements: 2 } });
    expect(failed.report.slo[0]!.marginal).toBeUndefined();
  });

  it('refuses a gate block it does not know, with a place', async () => {
    const dir = await makeProject({ 'models/ww.onnx': { copy: WAKEWORD }, 'recipes/ww.yaml': recipe('  size_mb: { max: 10 }', 'gate: { retries: 2, confidance: 0.9 }') });
    dirs.push(dir);
    const r = await runCli(['validate'], dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/ww\.yaml:5:\d+.*E_UNKNOWN_KEY/);
    expect(r.stderr).toMatch(/did you mean `confidence`/);
  });
});

describe('benchmark conditions from the recipe', () => {
  it('runs the baseline and final benchmarks under the recipe\'s load and says so', async () => {
    const dir = await makeProject({
      'models/ww.onnx': { copy: WAKEWORD },
      'recipes/ww.yaml': recipe('  size_mb: { max: 10 }').replace(QUICK_BENCH, 'benchmark: { warmup: 2, runs: 10, min_time_ms: 0, load: mid }'),
    });
    dirs.push(dir);
    const r = await build(dir);
    expect(r.exitCode).toBe(0);
    expect(finalStep(r.report).metrics.load).toMatchObject({ level: 'mid' });
    expect(r.report.steps.find((s) => s.kind === 'baseline')!.metrics.load).toMatchObject({ level: 'mid' });
    expect(r.stdout).toMatch(/ran on cpu .*, under mid load \(\d busy workers?\); energy not measurable here/);
  });
});
