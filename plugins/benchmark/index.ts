// `benchmark`: latency percentiles, throughput, size, peak memory and load time of the model, measured in a child process.
import { readFileSync } from 'node:fs';
import { BENCH_DEFAULTS, nonTensorNote, runBenchmark, type BenchResult, type JSONSchema, type LoadLevel, type Plugin, type StepContext } from '../../src/api.js';

export interface BenchmarkParams {
  warmup?: number;
  runs?: number;
  min_time_ms?: number;
  max_time_ms?: number;
  /** one setting, or a sweep */
  threads?: number | number[];
  load?: LoadLevel;
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
    load: r.load,
    warmup: r.warmup,
    runs: r.runs,
    measure_ms: r.measure_ms,
    capped: r.capped,
    ...(r.outputs.others.length ? { outputs_not_fetched: r.outputs.others } : {}),
    ort_version: r.ort_version,
    energy: r.energy,
  };
}

/** One row of a thread sweep: the setting's figures, without its samples. */
function sweepRow(r: BenchResult): Record<string, unknown> {
  const { p50_ms, p90_ms, p99_ms, mean_ms } = r.latency;
  return { threads: r.threads.intra_op, p50_ms, p90_ms, p99_ms, mean_ms, throughput_ips: r.throughput_ips, peak_memory_mb: r.memory.peak_rss_bytes / MB, load_ms: r.load_ms, runs: r.runs };
}

function warningsOf(ctx: StepContext, params: BenchmarkParams, results: BenchResult[]): string[] {
  const warnings: string[] = [];
  const first = results[0]!;
  if (first.ep.ran !== ctx.target.ep[0]) {
    // EPs failing for the same reason are named together: the usual case is "not a backend here"
    const byReason = new Map<string, string[]>();
    for (const u of first.ep.unavailable) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u.ep]);
    const skipped = [...byReason].map(([reason, eps]) => `${eps.join(', ')}: ${reason}`).join('; ');
    warnings.push(`measured on ${first.ep.ran}, not the preferred ${ctx.target.ep[0]} (${skipped}); the figures are this host's, not the target device's`);
  }
  const unfetched = nonTensorNote(first.outputs, 'fetched');
  if (unfetched) warnings.push(`${unfetched}; ONNX Runtime still computes ${first.outputs.others.length === 1 ? 'it' : 'them'} in every timed run`);
  for (const r of results.filter((x) => x.capped)) {
    warnings.push(`max_time_ms (${params.max_time_ms ?? BENCH_DEFAULTS.maxTimeMs} ms) stopped the timing after ${r.runs} runs${results.length > 1 ? ` at ${r.threads.intra_op} thread(s)` : ''}: the percentiles rest on fewer samples than asked`);
  }
  return warnings;
}

export const benchmarkPlugin: Plugin<BenchmarkParams> = {
  name: 'benchmark',
  version: '1.0.0',
  params: schema,
  produces: 'metrics',
  async run(ctx, params) {
    const settings = Array.isArray(params.threads) ? params.threads : [params.threads ?? ctx.target.threads];
    const results: BenchResult[] = [];
    for (const [i, threads] of settings.entries()) {
      const result = await runBenchmark({
        modelPath: ctx.inputs.model.path,
        ep: ctx.target.ep,
        threads,
        pins: ctx.modelInputs,
        seed: params.seed ?? BENCH_DEFAULTS.seed,
        load: params.load ?? 'idle',
        warmup: params.warmup ?? BENCH_DEFAULTS.warmup,
        runs: params.runs ?? BENCH_DEFAULTS.runs,
        minTimeMs: params.min_time_ms ?? BENCH_DEFAULTS.minTimeMs,
        maxTimeMs: params.max_time_ms ?? BENCH_DEFAULTS.maxTimeMs,
        timeoutMs: (params.timeout_s ?? BENCH_DEFAULTS.timeoutMs / 1000) * 1000,
        signal: ctx.signal,
        onProgress: (fraction, phase) => ctx.progress((i + fraction) / settings.length, settings.length > 1 ? `${phase} (${threads} thread${threads === 1 ? '' : 's'})` : phase),
      });
      ctx.log.info(`${result.ep.ran}, ${threads} thread(s)${result.load.level === 'idle' ? '' : `, ${result.load.level} load`}: p50 ${result.latency.p50_ms.toFixed(3)} ms, p90 ${result.latency.p90_ms.toFixed(3)} ms over ${result.runs} runs`);
      results.push(result);
    }
    // the sweep's figures are its best setting's, so SLO-style metric names still read one measurement
    const best = results.reduce((a, b) => (b.latency.p50_ms < a.latency.p50_ms ? b : a));
    const metrics = benchMetrics(best);
    if (Array.isArray(params.threads)) metrics.sweep = { by: 'latency.p50_ms', best_threads: best.threads.intra_op, settings: results.map(sweepRow) };
    const warnings = warningsOf(ctx, params, results);
    return { files: {}, metrics, ...(warnings.length ? { warnings } : {}) };
  },
};
