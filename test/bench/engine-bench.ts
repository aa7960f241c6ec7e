// Engine figures: cold build vs no-op rebuild of the examples, validate time, file-hashing throughput.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { HashMemo } from '../../src/cache/hash-memo.js';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function timeCli(repo: string, args: string[], cwd: string): Promise<{ ms: number; exitCode: number }> {
  const t0 = performance.now();
  const r = await execa(process.execPath, [path.join(repo, 'src/cli/bin.js'), ...args], { cwd, reject: false, env: { CI: '1', EDGEOPT_CACHE_DIR: process.env.EDGEOPT_CACHE_DIR ?? '' } });
  return { ms: performance.now() - t0, exitCode: r.exitCode ?? -1 };
}

export async function benchEngine(repo: string): Promise<Record<string, unknown>> {
  // a private cache so the figures are a true cold build and the user's .edgeopt/cache is untouched
  const cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'edgeopt-bench-'));
  process.env.EDGEOPT_CACHE_DIR = path.join(cacheDir, 'cache');
  try {
    const cold = await timeCli(repo, ['build'], repo);
    const noop: number[] = [];
    for (let i = 0; i < 5; i++) noop.push((await timeCli(repo, ['build'], repo)).ms);
    const validate: number[] = [];
    for (let i = 0; i < 5; i++) validate.push((await timeCli(repo, ['validate'], repo)).ms);

    const big = path.join(cacheDir, 'big.bin');
    await fs.writeFile(big, Buffer.alloc(512 * 2 ** 20, 7));
    const memo = await HashMemo.open(path.join(cacheDir, 'memo.json'));
    const t0 = performance.now();
    await memo.hashFile(big);
    const hashMs = performance.now() - t0;
    const t1 = performance.now();
    await memo.hashFile(big);
    const memoMs = performance.now() - t1;
    return {
      examples_cold_build_ms: Math.round(cold.ms),
      examples_cold_exit_code: cold.exitCode,
      examples_noop_rebuild_ms_median: Math.round(median(noop)),
      noop_speedup_vs_cold: Math.round((cold.ms / median(noop)) * 10) / 10,
      validate_ms_median: Math.round(median(validate)),
      hash_throughput_mb_s: Math.round(512 * 2 ** 20 / 1e6 / (hashMs / 1000)),
      hash_memo_hit_ms: Math.round(memoMs * 100) / 100,
    };
  } finally {
    delete process.env.EDGEOPT_CACHE_DIR;
    await fs.rm(cacheDir, { recursive: true, force: true });
  }
}
