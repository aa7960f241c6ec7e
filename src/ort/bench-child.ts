// The benchmark child process: loads one model, warms up, times runs, reports peak memory. One model per process.
import path from 'node:path';
import { env } from 'onnxruntime-node';
import { EdgeoptError } from '../errors.js';
import type { BenchJob, ChildMeasurement, ChildMessage, RunnerMessage } from './bench-protocol.js';
import { startEnergyMeter } from './energy.js';
import { resolveEp } from './ep-resolve.js';
import { buildFeeds } from './feeds.js';
import { tensorOutputs } from './fetches.js';
import { ortErrorText } from './ort-message.js';
import { processMemory } from './process-memory.js';
import { openSession } from './session.js';

const PROGRESS_EVERY_MS = 200;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      resolve();
    } else process.send(message, undefined, undefined, () => resolve());
  });
}

/** Waits for the runner's go-ahead (its background load is spinning). */
function go(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (m: RunnerMessage): void => {
      if (m?.type !== 'go') return;
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
  });
}

async function measure(job: BenchJob): Promise<ChildMeasurement> {
  await send({ type: 'progress', phase: 'load', fraction: 0 });
  // EP probes first (cached for openSession): they start ORT's environment and thread pools (~25 MB here), so the
  // baseline is "node + ORT ready" and load_ms is this model's session creation, not ORT's one-time start-up
  await resolveEp(job.ep);
  const baselineRssBytes = processMemory().rssBytes;
  const t0 = performance.now();
  const opened = await openSession(job.modelPath, { ep: job.ep, threads: job.threads });
  const loadMs = performance.now() - t0;
  const { session } = opened;
  const feeds = buildFeeds(session, job.pins, job.seed);
  const outputs = tensorOutputs(session);
  if (outputs.tensors.length === 0) throw noTensorOutput(job, outputs.others);
  // ORT still computes the outputs it is not asked for (every graph output is), so the timing is the whole model's
  const run = (): Promise<unknown> => session.run(feeds, outputs.tensors);
  if (job.holdForLoad) {
    await send({ type: 'loaded' });
    await go();
  }

  for (let i = 0; i < job.warmup; i++) {
    await run();
    await send({ type: 'progress', phase: 'warmup', fraction: (i + 1) / job.warmup });
  }

  const samplesMs: number[] = [];
  const meter = startEnergyMeter();
  const start = performance.now();
  let elapsed = 0;
  let lastProgress = start;
  // both a minimum count and a minimum time, capped by a maximum time (at least one run)
  while ((samplesMs.length < job.runs || elapsed < job.minTimeMs) && (samplesMs.length === 0 || elapsed < job.maxTimeMs)) {
    const t = performance.now();
    await run();
    const now = performance.now();
    samplesMs.push(Math.round((now - t) * 1e4) / 1e4); // 0.1 µs: below timer noise, halves the JSON
    elapsed = now - start;
    if (now - lastProgress > PROGRESS_EVERY_MS) {
      lastProgress = now;
      const fraction = Math.min(samplesMs.length / job.runs, job.minTimeMs > 0 ? elapsed / job.minTimeMs : 1, 1);
      await send({ type: 'progress', phase: 'measure', fraction });
    }
  }
  const energy = meter.finish(samplesMs.length, elapsed);
  const capped = samplesMs.length < job.runs || elapsed < job.minTimeMs;
  await session.release();
  const mem = processMemory();
  return {
    ortVersion: env.versions.node ?? env.versions.common,
    ep: { ran: opened.ep, unavailable: opened.unavailable },
    loadMs, warmupRuns: job.warmup, outputs, samplesMs, measureMs: elapsed, capped,
    memory: {
      ...(baselineRssBytes !== undefined ? { baselineRssBytes } : {}),
      ...(mem.peakRssBytes !== undefined ? { peakRssBytes: mem.peakRssBytes } : {}),
      maxRssBytes: mem.maxRssBytes,
    },
    energy,
  };
}

// fetching a sequence or map throws in onnxruntime-node, and an optional one crashes the process (SIGSEGV)
function noTensorOutput(job: BenchJob, others: string[]): EdgeoptError {
  return new EdgeoptError({
    code: 'E_BENCH_NO_TENSOR_OUTPUT', kind: 'step',
    message: `benchmark of ${path.basename(job.modelPath)} cannot run it: none of its outputs (${others.join(', ')}) is a tensor, `
      + 'and ONNX Runtime for Node returns tensors only (a sequence, map or optional output cannot be fetched)',
    hint: 'give the model a tensor output (for a classifier, the probabilities before ZipMap), or benchmark it with ONNX Runtime from Python or C++',
  });
}

function errorMessage(err: unknown): ChildMessage {
  if (err instanceof EdgeoptError) {
    return { type: 'error', code: err.code, kind: err.kind, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
  }
  return { type: 'error', code: 'E_BENCH_FAILED', kind: 'step', message: ortErrorText(err) };
}

async function main(): Promise<void> {
  // the runner is gone (killed without cleanup): nobody will read the result, so do not keep a core busy. ESM loads
  // onnxruntime-node before this runs, with the event loop turning: a runner killed by then has already sent its
  // 'disconnect' to nobody, so the channel's state is checked too (without it the child ran to its time limit)
  process.on('disconnect', () => process.exit());
  if (process.send && !process.connected) process.exit();
  await send({ type: 'ready' });
  try {
    const job = JSON.parse(process.argv[2] ?? '{}') as BenchJob;
    await send({ type: 'result', measurement: await measure(job) });
  } catch (err) {
    await send(errorMessage(err));
    process.exitCode = 1;
  } finally {
    process.disconnect?.();
  }
}

void main();
