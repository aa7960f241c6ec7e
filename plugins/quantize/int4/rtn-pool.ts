// Round-to-nearest over many weights on every core: a big weight is copied once into shared memory and its columns
// are split between worker threads and this one, all running rtn-kernel.ts (workers run its source text).
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { decodeTensor } from '../../../src/api.js';
import { WeightQuantError } from '../weight-quant.js';
import { allocatePacked, quantizeBlockwise, type BlockwiseOptions, type PackedWeight } from './blockwise.js';
import { weightKey, type MatMulCandidate } from './matmul-survey.js';
import { blockScale, codeBlock, quadBlock, rtnColumns, singleBlock, symmetricScale } from './rtn-kernel.js';

/** Weights smaller than this (elements) are coded on this thread: a round trip to workers costs more. */
const PARALLEL_MIN_ELEMENTS = 1 << 20;
/** Below this many float bytes in total, no workers are started at all. */
const POOL_MIN_BYTES = 32 * 2 ** 20;

// the kernel's own source: the functions are self-contained (no imports, closures or nested functions)
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
${symmetricScale.toString()}
${blockScale.toString()}
${codeBlock.toString()}
${quadBlock.toString()}
${singleBlock.toString()}
${rtnColumns.toString()}
parentPort.on('message', (m) => {
  const ok = rtnColumns(new Float32Array(m.w, 0, m.k * m.n), m.k, m.n, m.blockSize, m.symmetric, m.c0, m.c1,
    new Uint8Array(m.data, 0, m.dataLength), new Float32Array(m.scales, 0, m.scalesLength),
    m.zeroPoints ? new Uint8Array(m.zeroPoints, 0, m.zeroPointsLength) : null);
  parentPort.postMessage(ok);
});`;

interface Job {
  w: SharedArrayBuffer;
  k: number;
  n: number;
  blockSize: number;
  symmetric: boolean;
  c0: number;
  c1: number;
  data: SharedArrayBuffer;
  dataLength: number;
  scales: SharedArrayBuffer;
  scalesLength: number;
  zeroPoints: SharedArrayBuffer | null;
  zeroPointsLength: number;
}

/** When to go parallel (the defaults above; tests lower them to run the workers on small weights). */
export interface PoolThresholds {
  minParallelElements: number;
  minPoolBytes: number;
}

class RtnPool {
  private readonly workers: Worker[];
  // reused across weights (grown as needed): a fresh shared buffer per weight would be garbage V8 collects late
  private input = new SharedArrayBuffer(0);
  private output = { data: new SharedArrayBuffer(0), scales: new SharedArrayBuffer(0), zeroPoints: new SharedArrayBuffer(0) };
  private readonly minParallelElements: number;

  constructor(threads: number, minParallelElements: number) {
    this.minParallelElements = minParallelElements;
    this.workers = Array.from({ length: threads }, () => new Worker(WORKER_SOURCE, { eval: true }));
  }

  private run(worker: Worker, job: Job): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const fail = (err: Error): void => reject(err);
      worker.once('error', fail);
      worker.once('message', (ok: boolean) => {
        worker.off('error', fail);
        resolve(ok);
      });
      worker.postMessage(job);
    });
  }

  async quantize(values: Float32Array, k: number, n: number, options: BlockwiseOptions): Promise<PackedWeight> {
    if (this.workers.length === 0 || k * n < this.minParallelElements) return quantizeBlockwise(values, k, n, options);
    if (this.input.byteLength < values.byteLength) this.input = new SharedArrayBuffer(values.byteLength);
    const w = new Float32Array(this.input, 0, k * n);
    w.set(values);
    const shape = allocatePacked(k, n, options);
    const grow = (key: keyof RtnPool['output'], bytes: number): SharedArrayBuffer => {
      if (this.output[key].byteLength < bytes) this.output[key] = new SharedArrayBuffer(bytes);
      new Uint8Array(this.output[key], 0, bytes).fill(0); // zero points are OR-ed in
      return this.output[key];
    };
    const data = grow('data', shape.data.byteLength);
    const scales = grow('scales', shape.scales.byteLength);
    const zeroPoints = shape.zeroPoints ? grow('zeroPoints', shape.zeroPoints.byteLength) : null;
    const parts = this.workers.length + 1;
    const range = (i: number): [number, number] => [Math.floor((n * i) / parts), Math.floor((n * (i + 1)) / parts)];
    const base = {
      w: this.input, k, n, blockSize: options.blockSize, symmetric: options.symmetric, data, dataLength: shape.data.length,
      scales, scalesLength: shape.scales.length, zeroPoints, zeroPointsLength: shape.zeroPoints?.length ?? 0,
    };
    const pending = this.workers.map((worker, i) => this.run(worker, { ...base, c0: range(i + 1)[0], c1: range(i + 1)[1] }));
    const [c0, c1] = range(0);
    const mine = rtnColumns(w, k, n, options.blockSize, options.symmetric, c0, c1, new Uint8Array(data, 0, shape.data.length),
      new Float32Array(scales, 0, shape.scales.length), zeroPoints ? new Uint8Array(zeroPoints, 0, shape.zeroPoints!.length) : null);
    const theirs = await Promise.all(pending);
    if (!mine || theirs.includes(false)) throw new WeightQuantError('it holds NaN or infinite values');
    // plain (unshared) copies: the model keeps these, and they are a sixth of the weight
    shape.data.set(new Uint8Array(data, 0, shape.data.length));
    shape.scales.set(new Float32Array(scales, 0, shape.scales.length));
    if (shape.zeroPoints && zeroPoints) shape.zeroPoints.set(new Uint8Array(zeroPoints, 0, shape.zeroPoints.length));
    return shape;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export interface RtnResult {
  packed: Map<MatMulCandidate, PackedWeight | WeightQuantError>;
  /** wall time of the coding, ms, the CPU time of all its threads, ms, and how many threads ran */
  ms: number;
  cpuMs: number;
  threads: number;
}

/** RTN of every candidate's weight (each distinct weight once), on all cores when there is enough to do. */
export async function rtnWeights(
  candidates: readonly MatMulCandidate[], options: BlockwiseOptions, signal?: AbortSignal,
  thresholds: PoolThresholds = { minParallelElements: PARALLEL_MIN_ELEMENTS, minPoolBytes: POOL_MIN_BYTES },
): Promise<RtnResult> {
  const unique = new Map<string, MatMulCandidate[]>();
  for (const c of candidates) unique.set(weightKey(c), [...(unique.get(weightKey(c)) ?? []), c]);
  const bytes = [...unique.values()].reduce((sum, [c]) => sum + c!.k * c!.n * 4, 0);
  const threads = bytes >= thresholds.minPoolBytes ? Math.max(1, os.availableParallelism() - 1) : 0;
  const pool = new RtnPool(threads, thresholds.minParallelElements);
  const packed = new Map<MatMulCandidate, PackedWeight | WeightQuantError>();
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    for (const readers of unique.values()) {
      signal?.throwIfAborted();
      const first = readers[0]!;
      let result: PackedWeight | WeightQuantError;
      try {
        // a view on the model's bytes when aligned: the float weight is not copied
        result = await pool.quantize(decodeTensor(first.weight.tensor, { copy: false }) as Float32Array, first.k, first.n, options);
      } catch (err) {
        if (!(err instanceof WeightQuantError)) throw err;
        result = err;
      }
      for (const c of readers) packed.set(c, result);
    }
  } finally {
    await pool.close();
  }
  const used = process.cpuUsage(cpu);
  return { packed, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, threads: threads + 1 };
}
