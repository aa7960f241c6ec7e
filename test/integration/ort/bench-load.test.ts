// Background load: the workers really spin, and they are gone after every way a benchmark can end, even a SIGKILL.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { LOAD_MARKER, loadWorkerCount, startCpuLoad } from '../../../src/ort/bench-load.js';
import { runBenchmark } from '../../../src/ort/bench-runner.js';
import { childrenOf, eventually, processesWith } from './process-scan.js';
import { HELLO_DEEPA, removeTestTmpDirs } from './step-context.js';

afterAll(removeTestTmpDirs);

const mine = (owner = process.pid): number[] => processesWith(LOAD_MARKER, `owner=${owner}`).map((p) => p.pid);
const cpuTicks = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
};
// a measurement that would run for a minute unless something stops it
const ENDLESS = { modelPath: HELLO_DEEPA, ep: ['cpu'], threads: 1, warmup: 0, runs: 1e9, minTimeMs: 60_000, load: 'heavy' as const };

describe('CPU load levels', () => {
  it('idle starts nothing; mid keeps half the cores busy; heavy all of them', () => {
    expect(loadWorkerCount('idle', 8)).toBe(0);
    expect(loadWorkerCount('mid', 8)).toBe(4);
    expect(loadWorkerCount('mid', 1)).toBe(1);
    expect(loadWorkerCount('heavy', 8)).toBe(8);
  });

  it('starts spinning workers and stops them', async () => {
    const load = await startCpuLoad('heavy', { maxLifeMs: 30_000 });
    try {
      expect(load.workers).toBe(os.availableParallelism());
      expect(mine().sort()).toEqual([...load.pids].sort());
      const before = load.pids.map(cpuTicks);
      expect(await eventually(() => load.pids.every((pid, i) => cpuTicks(pid) > before[i]! + 5))).toBe(true);
    } finally {
      await load.stop();
    }
    expect(mine()).toEqual([]);
    await load.stop(); // twice is fine
  });
});

describe('runBenchmark under load', () => {
  it('reports the load it ran under and leaves no worker behind', async () => {
    const r = await runBenchmark({ modelPath: HELLO_DEEPA, ep: ['cpu'], threads: 1, warmup: 2, runs: 20, minTimeMs: 100, load: 'mid' });
    expect(r.load).toEqual({ level: 'mid', workers: loadWorkerCount('mid'), cores: os.availableParallelism() });
    expect(r.runs).toBeGreaterThanOrEqual(20);
    expect(mine()).toEqual([]);
    const idle = await runBenchmark({ modelPath: HELLO_DEEPA, ep: ['cpu'], threads: 1, warmup: 0, runs: 5, minTimeMs: 0 });
    expect(idle.load).toMatchObject({ level: 'idle', workers: 0 });
  });

  it('stops the workers when the benchmark is aborted', async () => {
    const controller = new AbortController();
    let sawWorkers = false;
    const err = await runBenchmark({
      ...ENDLESS, signal: controller.signal,
      onProgress: (_f, phase) => {
        if (phase === 'measure' && !controller.signal.aborted) {
          sawWorkers = mine().length === os.availableParallelism();
          controller.abort();
        }
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_ABORTED' });
    expect(sawWorkers).toBe(true);
    expect(mine()).toEqual([]);
  });

  it('stops the workers when the benchmark times out', async () => {
    const err = await runBenchmark({ ...ENDLESS, timeoutMs: 1500 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_BENCH_TIMEOUT' });
    expect(mine()).toEqual([]);
  });

  it('stops the workers when the benchmark child crashes', async () => {
    let killed = false;
    const err = await runBenchmark({
      ...ENDLESS,
      onProgress: (_f, phase) => {
        if (phase !== 'measure' || killed) return;
        const [child] = childrenOf(process.pid, 'edgeopt-bench-child');
        if (child && mine().length > 0) {
          killed = true;
          process.kill(child.pid, 'SIGKILL');
        }
      },
    }).catch((e: unknown) => e);
    expect(killed).toBe(true);
    expect(err).toMatchObject({ code: 'E_BENCH_FAILED', message: expect.stringContaining('was killed by SIGKILL') });
    expect(mine()).toEqual([]);
  });

  it('workers exit by themselves when the process that started them is SIGKILLed (no cleanup runs)', async () => {
    const script = `
      import { startCpuLoad } from ${JSON.stringify(path.resolve('src/ort/bench-load.ts'))};
      const load = await startCpuLoad('heavy', { maxLifeMs: 600000 });
      console.log(JSON.stringify(load.pids));
      setInterval(() => {}, 1000);
    `;
    const parent = execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { reject: false, stdin: 'ignore' });
    const pids = await new Promise<number[]>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(JSON.parse(String(d)) as number[])));
    expect(mine(parent.pid!).sort()).toEqual([...pids].sort());
    parent.kill('SIGKILL');
    await parent;
    expect(await eventually(() => mine(parent.pid!).length === 0)).toBe(true);
  });
});
