// Large-model figures of the quantize step: peak resident memory (VmHWM of a child process per mode) against the
// model's size, and RTN's weight throughput, on a stack of MLP blocks with external data that the bench builds.
// QUANTIZE_BENCH_MB (default 1024) sets the model size; the targets are peak ≤ 1.5× the model, RTN ≥ 1 GB/s.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

const CHILD = 'test/bench/quantize-large-child.ts';
const MODES = ['int4', 'int8-dynamic', 'fp16'];

async function stage(repo: string, args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await execa(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: repo });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
}

export async function benchQuantizeLarge(repo: string): Promise<Record<string, unknown>> {
  const megabytes = Number(process.env.QUANTIZE_BENCH_MB ?? 1024);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'edgeopt-quantize-bench-'));
  try {
    const build = await stage(repo, ['build', dir, String(megabytes)]);
    const baseline = await stage(repo, ['baseline', dir]);
    const modes: Record<string, unknown> = {};
    for (const mode of MODES) {
      process.stderr.write(`bench: quantize-large ${mode}…\n`);
      modes[mode] = await stage(repo, [mode, dir]);
    }
    return {
      model: { ...build, layers: 'MatMul [1,8,1024]×[1024,4096] → Relu → MatMul ×[4096,1024] → Add, repeated', external_data: true },
      targets: { peak_over_model_max: 1.5, rtn_gb_per_s_min: 1 },
      baseline_process_rss_mb: baseline.peak_rss_mb,
      load_average: os.loadavg().map((l) => Math.round(l * 10) / 10),
      cores: os.availableParallelism(),
      modes,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
