// Measures one model in its own child process: isolation, true peak RSS, abort and timeout that really stop it.
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { EdgeoptError, type ErrorKind } from '../errors.js';
import type { InputPin } from '../recipe/types.js';
import type { BenchJob, ChildMeasurement, ChildMessage } from './bench-protocol.js';
import { startCpuLoad, loadWorkerCount, type CpuLoad, type LoadLevel } from './bench-load.js';
import { benchChildCommand } from './child-bundle.js';
import type { EnergyReport } from './energy.js';
import type { EpUnavailable } from './ep-resolve.js';
import type { OutputSplit } from './fetches.js';
import { summarizeLatencies, type LatencyStats } from './latency-stats.js';

export interface BenchOptions {
  modelPath: string;
  /** EP preference, e.g. ['xnnpack', 'cpu'] */
  ep: string[];
  /** intra-op threads (inter-op is 1) */
  threads: number;
  pins?: Record<string, InputPin>;
  /** seed of the synthetic input data (default 0) */
  seed?: number;
  warmup?: number;
  runs?: number;
  minTimeMs?: number;
  maxTimeMs?: number;
  /** the whole child, load included (default 600 000) */
  timeoutMs?: number;
  /** background CPU load during warm-up and the timed runs (default idle) */
  load?: LoadLevel;
  signal?: AbortSignal;
  onProgress?(fraction: number, message: string): void;
}

export interface BenchResult {
  model: { path: string; size_bytes: number };
  ort_version: string;
  ep: { requested: string[]; ran: string; unavailable: EpUnavailable[] };
  threads: { intra_op: number; inter_op: 1 };
  /** session creation (cold load) time */
  load_ms: number;
  warmup: number;
  runs: number;
  /** wall time of the timed runs */
  measure_ms: number;
  /** true when max_time_ms stopped the runs before `runs` / min_time_ms were reached */
  capped: boolean;
  latency: LatencyStats;
  /** outputs fetched in each run (tensors) and the others, computed but not fetched (onnxruntime-node cannot return them) */
  outputs: OutputSplit;
  /** every timed run, in order, for bootstrap confidence intervals */
  samples_ms: number[];
  /** 1000 / mean_ms */
  throughput_ips: number;
  memory: {
    /** VmHWM of the child at the end (Linux), else getrusage maxRSS; bytes */
    peak_rss_bytes: number;
    max_rss_bytes: number;
    /** RSS after node + onnxruntime-node started, before the model was loaded: the runtime's floor */
    baseline_rss_bytes?: number;
  };
  energy: EnergyReport;
  /** the background load the warm-up and timed runs shared the machine with */
  load: { level: LoadLevel; workers: number; cores: number };
  harness: { loader: 'node' | 'tsx'; child_start_ms: number };
}

export const BENCH_DEFAULTS = { warmup: 10, runs: 50, minTimeMs: 1000, maxTimeMs: 60_000, timeoutMs: 600_000, seed: 0 };

const PHASES = { load: [0, 0.1], warmup: [0.1, 0.2], measure: [0.2, 1] } as const;

function benchError(code: string, kind: ErrorKind, message: string, hint?: string): EdgeoptError {
  return new EdgeoptError({ code, kind, message, ...(hint ? { hint } : {}) });
}

function stderrTail(stderr: unknown): string {
  const text = typeof stderr === 'string' ? stderr.replace(/\u001b\[[0-9;]*m/g, '') : '';
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !/^at /.test(l));
  return lines.slice(-5).join('\n');
}

function toResult(
  opts: BenchOptions, job: BenchJob, m: ChildMeasurement, size: number, harness: BenchResult['harness'], load: BenchResult['load'],
): BenchResult {
  const latency = summarizeLatencies(m.samplesMs);
  return {
    model: { path: opts.modelPath, size_bytes: size },
    ort_version: m.ortVersion,
    ep: { requested: [...opts.ep], ran: m.ep.ran, unavailable: m.ep.unavailable },
    threads: { intra_op: job.threads, inter_op: 1 },
    load_ms: m.loadMs, warmup: m.warmupRuns, runs: m.samplesMs.length, measure_ms: m.measureMs, capped: m.capped,
    latency, outputs: m.outputs, samples_ms: m.samplesMs, throughput_ips: 1000 / latency.mean_ms,
    memory: {
      peak_rss_bytes: m.memory.peakRssBytes ?? m.memory.maxRssBytes,
      max_rss_bytes: m.memory.maxRssBytes,
      ...(m.memory.baselineRssBytes !== undefined ? { baseline_rss_bytes: m.memory.baselineRssBytes } : {}),
    },
    energy: m.energy,
    load,
    harness,
  };
}

/** Benchmarks `opts.modelPath` in a fresh child process; throws E_BENCH_FAILED / E_BENCH_TIMEOUT / E_BENCH_NO_TENSOR_OUTPUT / E_ABORTED / pin errors. */
export async function runBenchmark(opts: BenchOptions): Promise<BenchResult> {
  const name = path.basename(opts.modelPath);
  let size: number;
  try {
    size = statSync(opts.modelPath).size;
  } catch {
    throw benchError('E_BENCH_FAILED', 'step', `benchmark of ${name} failed: the model file ${opts.modelPath} does not exist`);
  }
  const job: BenchJob = {
    modelPath: path.resolve(opts.modelPath), ep: opts.ep, threads: opts.threads, pins: opts.pins ?? {},
    seed: opts.seed ?? BENCH_DEFAULTS.seed, warmup: opts.warmup ?? BENCH_DEFAULTS.warmup, runs: opts.runs ?? BENCH_DEFAULTS.runs,
    minTimeMs: opts.minTimeMs ?? BENCH_DEFAULTS.minTimeMs, maxTimeMs: opts.maxTimeMs ?? BENCH_DEFAULTS.maxTimeMs,
  };
  const level = opts.load ?? 'idle';
  if (level !== 'idle') job.holdForLoad = true;
  const timeoutMs = opts.timeoutMs ?? BENCH_DEFAULTS.timeoutMs;
  if (opts.signal?.aborted) throw benchError('E_ABORTED', 'interrupted', `benchmark of ${name} was cancelled`);
  const command = await benchChildCommand();
  const started = performance.now();
  let childStartMs = Number.NaN;
  const child = execa(process.execPath, [...command.args, JSON.stringify(job)], {
    ipc: true, reject: false, stdin: 'ignore', timeout: timeoutMs, forceKillAfterDelay: 2000,
    ...(opts.signal ? { cancelSignal: opts.signal } : {}),
  });
  let load: CpuLoad | undefined;
  let loadError: unknown;
  const listening = (async (): Promise<void> => {
    for await (const raw of child.getEachMessage()) {
      const msg = raw as ChildMessage;
      if (msg.type === 'ready') childStartMs = performance.now() - started;
      if (msg.type === 'progress' && opts.onProgress) {
        const [a, b] = PHASES[msg.phase];
        opts.onProgress(a + (b - a) * msg.fraction, msg.phase);
      }
      if (msg.type === 'loaded') {
        try {
          load = await startCpuLoad(level, { maxLifeMs: timeoutMs + 10_000 });
          await child.sendMessage({ type: 'go' });
        } catch (err) {
          loadError = err;
          child.kill();
        }
      }
      if (msg.type === 'result') await load?.stop(); // the child still releases its session: nothing to load
    }
  })().catch(() => undefined);
  let outcome: Awaited<typeof child>;
  try {
    outcome = await child; // reject: false: a crash, timeout or abort is an outcome, not a throw
  } finally {
    // whatever ended the child (result, crash, timeout, abort), its load workers end with it
    await listening;
    await load?.stop();
  }
  if (outcome.isCanceled) throw benchError('E_ABORTED', 'interrupted', `benchmark of ${name} was cancelled (its child process was stopped)`);
  if (outcome.timedOut) {
    throw benchError('E_BENCH_TIMEOUT', 'step', `benchmark of ${name} did not finish within ${timeoutMs / 1000} s; its child process was stopped`,
      'raise benchmark.timeout_s, or lower warmup / runs / min_time_ms');
  }
  if (loadError) throw loadError;
  const messages = (outcome.ipcOutput ?? []) as ChildMessage[];
  const failure = messages.find((m) => m.type === 'error');
  if (failure?.type === 'error') {
    const code = failure.code === 'E_MODEL_LOAD' ? 'E_BENCH_FAILED' : failure.code;
    throw benchError(code, failure.kind as ErrorKind, code === 'E_BENCH_FAILED' ? `benchmark of ${name} failed: ${failure.message}` : failure.message, failure.hint);
  }
  const result = messages.find((m) => m.type === 'result');
  if (result?.type !== 'result') {
    const why = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`;
    const tail = stderrTail(outcome.stderr);
    throw benchError('E_BENCH_FAILED', 'step', `benchmark of ${name} failed: its child process ${why} before reporting${tail ? `:\n${tail}` : ''}`,
      'a native crash in ONNX Runtime: try another EP, or check the model with onnx.checker');
  }
  const loadInfo = { level, workers: load?.workers ?? loadWorkerCount(level), cores: load?.cores ?? os.availableParallelism() };
  return toResult(opts, job, result.measurement, size, { loader: command.loader, child_start_ms: childStartMs }, loadInfo);
}
