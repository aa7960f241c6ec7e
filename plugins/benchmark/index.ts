// `benchmark`: latency percentiles, throughput, size, peak memory and load time of the model, measured in a child process.
import { readFileSync } from 'node:fs';
import { BENCH_DEFAULTS, runBenchmark, type BenchResult, type JSONSchema, type Plugin } from '../../src/api.js';

export interface BenchmarkParams {
  warmup?: number;
  runs?: number;
  min_time_ms?: number;
  max_time_ms?: number;
  threads?: number;
  seed?: number;
  timeout_s?: number;
}

const schema = JSON.parse(readFileSync(new URL('./schema.json', import.meta.url), 'utf8')) as JSONSchema;

/** Every *_mb figure is in megabytes of 10^6 bytes (not MiB), like the size_mb SLO. */
const MB = 1e6;

/** The metrics object of a benchmark step (what SLOs like `latency.p90_ms` and `size_mb` address). */
export function benchMetrics(r: BenchResult): Record<string, unknown> {
  return {
    latency: { ...r.latency, samples_ms: r.samples_ms },
    throughput_ips: r.throughput_ips,
    size_mb: r.model.size_bytes / MB,
    peak_memory_mb: r.memory.peak_rss_bytes / MB,
    ...(r.memory.baseline_rss_bytes !== undefined ? { baseline_memory_mb: r.memory.baseline_rss_bytes / MB } : {}),
    load_ms: r.load_ms,
    ep: r.ep,
    threads: r.threads.intra_op,
    warmup: r.warmup,
    runs: r.runs,
    measure_ms: r.measure_ms,
    capped: r.capped,
    ort_version: r.ort_version,
    energy: r.energy,
  };
}

export const benchmarkPlugin: Plugin<BenchmarkParams> = {
  name: 'benchmark',
  version: '1.0.0',
  params: schema,
  produces: 'metrics',
  async run(ctx, params) {
    const threads = params.threads ?? ctx.target.threads;
    const result = await runBenchmark({
      modelPath: ctx.inputs.model.path,
      ep: ctx.target.ep,
      threads,
      pins: ctx.modelInputs,
      seed: params.seed ?? BENCH_DEFAULTS.seed,
      warmup: params.warmup ?? BENCH_DEFAULTS.warmup,
      runs: params.runs ?? BENCH_DEFAULTS.runs,
      minTimeMs: params.min_time_ms ?? BENCH_DEFAULTS.minTimeMs,
      maxTimeMs: params.max_time_ms ?? BENCH_DEFAULTS.maxTimeMs,
      timeoutMs: (params.timeout_s ?? BENCH_DEFAULTS.timeoutMs / 1000) * 1000,
      signal: ctx.signal,
      onProgress: (fraction, phase) => ctx.progress(fraction, phase),
    });
    const warnings: string[] = [];
    if (result.ep.ran !== ctx.target.ep[0]) {
      // EPs failing for the same reason are named together: the usual case is "not a backend here"
      const byReason = new Map<string, string[]>();
      for (const u of result.ep.unavailable) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u.ep]);
      const skipped = [...byReason].map(([reason, eps]) => `${eps.join(', ')}: ${reason}`).join('; ');
      warnings.push(`measured on ${result.ep.ran}, not the preferred ${ctx.target.ep[0]} (${skipped}); the figures are this host's, not the target device's`);
    }
    if (result.capped) {
      warnings.push(`max_time_ms (${params.max_time_ms ?? BENCH_DEFAULTS.maxTimeMs} ms) stopped the timing after ${result.runs} runs: the percentiles rest on fewer samples than asked`);
    }
    ctx.log.info(`${result.ep.ran}, ${threads} thread(s): p50 ${result.latency.p50_ms.toFixed(3)} ms, p90 ${result.latency.p90_ms.toFixed(3)} ms over ${result.runs} runs`);
    return { files: {}, metrics: benchMetrics(result), ...(warnings.length ? { warnings } : {}) };
  },
};
