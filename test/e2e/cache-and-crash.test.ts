// The cache through the real CLI: a rebuild hits every task, `plan` explains misses, and a SIGKILL mid-step leaves nothing half-made.
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childrenOf, eventually, type ProcessInfo } from '../integration/ort/process-scan.js';
import { makeProject, QUICK_BENCH, runCli, startCli, WAKEWORD } from './cli-harness.js';

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await fs.rm(d, { recursive: true, force: true }); });

// writes half a model, then waits for a file that only the test creates: a step that is "in the middle"
const SLOW_STEP = `
import { promises as fs, readFileSync } from 'node:fs';
const [input, out, gate] = process.argv.slice(2);
const bytes = await fs.readFile(input);
await fs.writeFile(out + '/model.onnx', bytes.subarray(0, bytes.length >> 1));
await fs.writeFile(gate + '.started', '');
while (true) {
  try { await fs.access(gate); break; } catch { await new Promise((r) => setTimeout(r, 50)); }
}
await fs.writeFile(out + '/model.onnx', bytes);
`;

const recipeWith = (step: string): string => `name: ww
model: ../models/ww.onnx
steps:
${step}
target: { ep: [cpu], threads: 1 }
${QUICK_BENCH}
slo:
  size_mb: { max: 10 }
`;

async function listCas(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(path.join(dir, '.edgeopt/cache/cas'))).filter((n) => !n.startsWith('.'));
  } catch {
    return [];
  }
}

describe('cache', () => {
  it('a second build hits the cache for every task; plan says which input changed', async () => {
    const opt = `  - id: opt\n    uses: optimize\n    with: { level: basic }`;
    const dir = await makeProject({ 'models/ww.onnx': { copy: WAKEWORD }, 'recipes/ww.yaml': recipeWith(opt) });
    dirs.push(dir);
    expect((await runCli(['build'], dir)).exitCode).toBe(0);
    const again = await runCli(['build', '--json'], dir);
    expect(again.exitCode).toBe(0);
    const { reports } = JSON.parse(again.stdout);
    expect(reports[0].steps.map((s: { status: string }) => s.status)).toEqual(['cached', 'cached', 'cached']);

    const plan = await runCli(['plan', '--json'], dir);
    expect(JSON.parse(plan.stdout).tasks.every((t: { status: string }) => t.status === 'cached')).toBe(true);

    await fs.writeFile(path.join(dir, 'recipes/ww.yaml'), recipeWith(opt.replace('basic', 'extended')));
    const changed = await runCli(['plan'], dir);
    expect(changed.stdout).toMatch(/run\s+\S+\s+ww:opt \(optimize\)\n\s+changed: params\.level/);
    expect(changed.stdout).toMatch(/cached\s+\S+\s+ww:baseline/);
  });

  it('SIGKILL in the middle of a step leaves no record, no blob and no output; the next build completes', async () => {
    const step = `  - id: slow\n    uses: exec\n    with: { run: ["${process.execPath}", "slow-step.mjs", "{model}", "{out}", "../gate"], inputs: [slow-step.mjs], outputs: { model: model.onnx } }`;
    const dir = await makeProject({ 'models/ww.onnx': { copy: WAKEWORD }, 'recipes/ww.yaml': recipeWith(step), 'recipes/slow-step.mjs': SLOW_STEP });
    dirs.push(dir);
    const child = startCli(['build'], dir);
    const started = path.join(dir, 'gate.started');
    for (let i = 0; i < 600; i++) {
      if (await fs.access(started).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await fs.access(started);
    const casBefore = await listCas(dir);
    // kill edgeopt and the step it runs, as a crash or an OOM killer would
    process.kill(child.pid!, 'SIGKILL');
    await child;
    await fs.rm(started);
    const acDir = path.join(dir, '.edgeopt/cache/ac');
    const records = await fs.readdir(acDir).catch(() => [] as string[]);
    const recs = await Promise.all(records.map(async (f) => JSON.parse(await fs.readFile(path.join(acDir, f), 'utf8'))));
    expect(recs.map((r) => r.task)).not.toContain('ww:slow');
    const half = (await fs.stat(path.join(dir, 'models/ww.onnx'))).size >> 1;
    for (const blob of await listCas(dir)) expect((await fs.stat(path.join(dir, '.edgeopt/cache/cas', blob))).size).not.toBe(half);
    expect(await listCas(dir)).toEqual(casBefore);
    await expect(fs.access(path.join(dir, '.edgeopt/out/ww'))).rejects.toThrow();

    await fs.writeFile(path.join(dir, 'gate'), ''); // the step may finish this time
    const r = await runCli(['build', '--json'], dir);
    expect(r.exitCode).toBe(0);
    const { reports } = JSON.parse(r.stdout);
    const slow = reports[0].steps.find((s: { id: string }) => s.id === 'slow');
    expect(slow.status).toBe('built');
    const out = await fs.readFile(path.join(dir, '.edgeopt/out/ww/model.onnx'));
    expect(out.length).toBe(half * 2 + ((await fs.stat(path.join(dir, 'models/ww.onnx'))).size & 1));
  });

  it('Ctrl-C (SIGINT) mid-step: exit 130 with a one-paragraph message, nothing of the step kept, the next build resumes', async () => {
    const step = `  - id: slow\n    uses: exec\n    with: { run: ["${process.execPath}", "slow-step.mjs", "{model}", "{out}", "../gate"], inputs: [slow-step.mjs], outputs: { model: model.onnx } }`;
    const dir = await makeProject({ 'models/ww.onnx': { copy: WAKEWORD }, 'recipes/ww.yaml': recipeWith(step), 'recipes/slow-step.mjs': SLOW_STEP });
    dirs.push(dir);
    const child = startCli(['build'], dir);
    const started = path.join(dir, 'gate.started');
    for (let i = 0; i < 600 && !(await fs.access(started).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
    process.kill(child.pid!, 'SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(String(r.stderr)).toMatch(/E_INTERRUPTED\s+build interrupted/);
    expect(String(r.stderr)).toMatch(/run the same command again/);
    expect(String(r.stderr)).not.toMatch(/\n\s+at /);
    const tmp = await fs.readdir(path.join(dir, '.edgeopt/cache/tmp')).catch(() => [] as string[]);
    expect(tmp).toEqual([]); // the step's private folder was cleaned up
    await expect(fs.access(path.join(dir, '.edgeopt/out/ww'))).rejects.toThrow();
    const plan = await runCli(['plan', '--json'], dir);
    const tasks = JSON.parse(plan.stdout).tasks as Array<{ id: string; status: string }>;
    expect(tasks.find((t) => t.id === 'ww:baseline')?.status).toBe('cached'); // finished work survived
    expect(tasks.find((t) => t.id === 'ww:slow')?.status).toBe('run');
  });

  // while it starts: ESM loads onnxruntime-node before the child's code runs, so the runner's death can come first
  it.each(['starts', 'measures'])('SIGKILL while the benchmark child %s: the child exits with edgeopt instead of running to its time limit', async (phase) => {
    // a benchmark that would keep a core busy for a minute unless its child notices that edgeopt is gone
    const recipe = `name: ww\nmodel: ../models/ww.onnx\ntarget: { ep: [cpu], threads: 1 }\nbenchmark: { warmup: 0, runs: 100000, min_time_ms: 60000 }\n`;
    const dir = await makeProject({ 'models/ww.onnx': { copy: WAKEWORD }, 'recipes/ww.yaml': recipe });
    dirs.push(dir);
    const cli = startCli(['build'], dir);
    let output = '';
    cli.stdout!.on('data', (d: Buffer) => { output += String(d); });
    let bench: ProcessInfo | undefined;
    expect(await eventually(() => (bench = childrenOf(cli.pid!, 'bench-child')[0]) !== undefined, 60_000)).toBe(true);
    if (phase === 'measures') expect(await eventually(() => /% measure/.test(output), 60_000)).toBe(true);
    process.kill(cli.pid!, 'SIGKILL');
    await cli;
    // reparented once edgeopt is gone, so it is looked up by pid, not as edgeopt's child
    const gone = await eventually(() => !processAlive(bench!.pid), 15_000);
    if (!gone) process.kill(bench!.pid, 'SIGKILL'); // the failing case must not leave a busy core behind
    expect(gone).toBe(true);
  });
});

/** The pid names a running process (not one that exited and waits to be reaped). */
function processAlive(pid: number): boolean {
  try {
    return !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
