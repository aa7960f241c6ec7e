// Background CPU load for a benchmark: busy worker processes started before the timed runs and always stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { EdgeoptError } from '../errors.js';
import { BENCHMARK_LOADS } from '../recipe/schema.js';

export const LOAD_LEVELS = BENCHMARK_LOADS;
export type LoadLevel = (typeof LOAD_LEVELS)[number];

/** The marker in each worker's command line (tests and `ps` find them by it). */
export const LOAD_MARKER = 'edgeopt-cpu-load';

// One busy core. It spins in 25 ms slices so the event loop still sees the IPC channel close: when its parent
// dies (even by SIGKILL, when no cleanup runs) it exits on `disconnect`, on a changed ppid, or at its deadline.
const WORKER = `
const parent = process.ppid;
const deadline = Date.now() + Number(process.argv[3]);
process.on('disconnect', () => process.exit(0));
let x = 1;
function spin() {
  if (process.ppid !== parent || Date.now() > deadline) process.exit(0);
  const end = Date.now() + 25;
  while (Date.now() < end) x = (x * 1103515245 + 12345) % 2147483648;
  setImmediate(spin);
}
process.send('busy');
spin();
`;

export interface CpuLoad {
  level: LoadLevel;
  /** busy worker processes */
  workers: number;
  cores: number;
  pids: number[];
  /** kills the workers and waits until they are gone; safe to call more than once */
  stop(): Promise<void>;
}

/** idle: none; mid: half the cores busy (at least one); heavy: every core busy. */
export function loadWorkerCount(level: LoadLevel, cores: number = os.availableParallelism()): number {
  return level === 'idle' ? 0 : level === 'mid' ? Math.max(1, Math.floor(cores / 2)) : cores;
}

function startWorker(maxLifeMs: number): { child: ChildProcess; busy: Promise<void>; exited: Promise<void> } {
  const child = spawn(process.execPath, ['-e', WORKER, LOAD_MARKER, `owner=${process.pid}`, String(Math.ceil(maxLifeMs))], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const busy = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`a load worker exited (${signal ?? `code ${code}`}) before it started`)));
  });
  return { child, busy, exited };
}

/**
 * Starts the workers and resolves once each is spinning. `maxLifeMs` is a last resort: a worker outliving it
 * (its parent hung) exits by itself.
 */
export async function startCpuLoad(level: LoadLevel, opts: { maxLifeMs: number; cores?: number; startTimeoutMs?: number }): Promise<CpuLoad> {
  const cores = opts.cores ?? os.availableParallelism();
  const workers = Array.from({ length: loadWorkerCount(level, cores) }, () => startWorker(opts.maxLifeMs));
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async (): Promise<void> => {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
    })();
    return stopped;
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the load workers did not start within ${(opts.startTimeoutMs ?? 10_000) / 1000} s`)), opts.startTimeoutMs ?? 10_000);
  });
  try {
    await Promise.race([Promise.all(workers.map((w) => w.busy)), timeout]);
  } catch (err) {
    await stop();
    throw new EdgeoptError({
      code: 'E_BENCH_FAILED', kind: 'step', message: `benchmark load "${level}" could not be started: ${(err as Error).message}`,
      hint: 'run the benchmark with load: idle, or check that node can start child processes here',
    });
  } finally {
    clearTimeout(timer);
  }
  return { level, workers: workers.length, cores, pids: workers.map((w) => w.child.pid!), stop };
}
