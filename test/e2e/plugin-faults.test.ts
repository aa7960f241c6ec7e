// A third-party plugin that misbehaves, through the real CLI: odd throws, odd results, a run() that never settles.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProject, QUICK_BENCH, runCli, startCli, WAKEWORD } from './cli-harness.js';

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await fs.rm(d, { recursive: true, force: true }); });

// each `mode` is one way a plugin author can get run() wrong
const PLUGIN = `export default {
  name: 'faulty', version: '1.0.0', produces: 'metrics',
  params: { type: 'object', properties: { mode: { type: 'string' } }, required: ['mode'], additionalProperties: false },
  async run(ctx, { mode }) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(ctx.recipe.dir + '/started', '');
    if (mode === 'throw-undefined') throw undefined;
    if (mode === 'throw-object') throw { reason: 'nope' };
    if (mode === 'return-number') return 42;
    if (mode === 'circular-metrics') { const m = {}; m.self = m; return { files: {}, metrics: m }; }
    if (mode === 'never-settles') return new Promise(() => {});
    if (mode === 'ignores-signal') return new Promise(() => { setInterval(() => {}, 1000); });
    return { files: {} };
  },
};
`;

const recipe = (mode: string, more = ''): string =>
  `name: r\nmodel: ../models/ww.onnx\nsteps:\n  - id: f\n    uses: faulty\n    with: { mode: ${mode} }\n${more}target: { ep: [cpu], threads: 1 }\n${QUICK_BENCH}\nslo:\n  size_mb: { max: 10 }\n`;

async function project(mode: string, more = ''): Promise<string> {
  const dir = await makeProject({
    'edgeopt.config.json': JSON.stringify({ recipes: ['recipes/*.yaml'], plugins: ['./faulty.mjs'] }),
    'faulty.mjs': PLUGIN,
    'models/ww.onnx': { copy: WAKEWORD },
    'recipes/r.yaml': recipe(mode, more),
  });
  dirs.push(dir);
  return dir;
}

describe('a faulty plugin', () => {
  it.each([
    ['throw-undefined', 'E_STEP_FAILED', /step "f" \(plugin faulty@1\.0\.0\) failed: it threw undefined, not an Error/],
    ['throw-object', 'E_STEP_FAILED', /it threw an object \{"reason":"nope"\}, not an Error/],
    ['return-number', 'E_PLUGIN_OUTPUT', /returned the number 42 instead of a StepOutput object/],
    ['circular-metrics', 'E_PLUGIN_OUTPUT', /returned `metrics` that are not plain JSON/],
  ])('%s: exit 3, one message naming the step', async (mode, code, message) => {
    const r = await runCli(['build'], await project(mode));
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/E_INTERNAL|\n\s+at /);
  });

  it('a run() that can never settle is named, its folder removed, exit 3 (Node alone would exit 13 in silence)', async () => {
    const dir = await project('never-settles');
    const r = await runCli(['build'], dir);
    expect([r.exitCode, r.stderr]).toEqual([3, expect.stringMatching(/E_STEP_HUNG {2}step "f" of r \(plugin faulty@1\.0\.0\) returned a promise that can never settle/)]);
    expect(await fs.readdir(path.join(dir, '.edgeopt/cache/tmp'))).toEqual([]);
  });

  it('Ctrl-C stops the build even when the step ignores its abort signal and keeps a timer alive', async () => {
    const dir = await project('ignores-signal');
    const child = startCli(['build'], dir);
    while (!existsSync(path.join(dir, 'recipes/started'))) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(String(r.stderr)).toMatch(/E_INTERRUPTED/);
    expect(await fs.readdir(path.join(dir, '.edgeopt/cache/tmp'))).toEqual([]);
  });

  it('a step past its timeout_s is stopped even when it ignores its signal: exit 3, nothing cached, its sibling still built', async () => {
    // g needs nothing from f, so it runs; the final benchmark needs both, so it does not
    const dir = await project('ignores-signal', '    timeout_s: 1\n  - id: g\n    uses: faulty\n    needs: []\n    with: { mode: ok }\n');
    const r = await runCli(['build'], dir);
    expect(r.exitCode, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/E_STEP_TIMEOUT.*step "f" \(plugin faulty@1\.0\.0\) ran longer than its timeout_s of 1 s and was stopped; nothing from it was cached/);
    expect(r.stderr).toMatch(/raise `timeout_s` of step "f"/);
    expect(r.stderr).not.toMatch(/E_INTERNAL|\n\s+at /);
    expect(await fs.readdir(path.join(dir, '.edgeopt/cache/tmp'))).toEqual([]);
    const report = JSON.parse(await fs.readFile(path.join(dir, '.edgeopt/out/r/report.json'), 'utf8'));
    const status = Object.fromEntries(report.steps.map((s: { id: string; status: string }) => [s.id, s.status]));
    expect(status).toEqual({ baseline: 'built', f: 'failed', g: 'built', final: 'skipped' });
  });

  it('the timeout reaches a plugin that honours its signal: exec stops its command tree at once', async () => {
    const dir = await makeProject({
      'models/ww.onnx': { copy: WAKEWORD },
      'recipes/r.yaml': `name: r\nmodel: ../models/ww.onnx\nsteps:\n  - id: wait\n    uses: exec\n    timeout_s: 1\n    with: { run: [sh, -c, 'sleep 60 & wait'], outputs: { model: out.onnx } }\ntarget: { ep: [cpu], threads: 1 }\n${QUICK_BENCH}\nslo:\n  size_mb: { max: 10 }\n`,
    });
    dirs.push(dir);
    const started = Date.now();
    const r = await runCli(['build'], dir);
    expect(r.exitCode, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/E_STEP_TIMEOUT.*step "wait" \(plugin exec@[\d.]+\) ran longer than its timeout_s of 1 s/);
    expect(Date.now() - started).toBeLessThan(50_000); // not the 60 s of the command
  });

  it('timeout_s is checked where it is written and is not part of the cache key', async () => {
    const dir = await project('ok', '    timeout_s: 0\n');
    const bad = await runCli(['validate'], dir);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/r\.yaml:7:\d+.*timeout_s/);
    // past Node's longest timer (2^31 - 1 ms) a limit would fire at once: refused in a step, in exec and in benchmark
    await fs.writeFile(path.join(dir, 'recipes/r.yaml'), recipe('ok', '    timeout_s: 3000000\n  - id: x\n    uses: exec\n    with: { run: [true], outputs: { model: m.onnx }, timeout_s: 3000000 }\n')
      .replace(QUICK_BENCH, 'benchmark: { runs: 5, timeout_s: 3000000 }'));
    const far = await runCli(['validate'], dir);
    expect(far.exitCode).toBe(2);
    expect(far.stderr.match(/timeout_s/g)?.length ?? 0, far.stderr).toBeGreaterThanOrEqual(3);
    for (const line of [7, 10, 12]) expect(far.stderr).toMatch(new RegExp(`r\\.yaml:${line}:\\d+.*(2147483|maximum|at most)`));
    const keyWith = async (more: string): Promise<string> => {
      await fs.writeFile(path.join(dir, 'recipes/r.yaml'), recipe('ok', more));
      const plan = await runCli(['plan', '--json'], dir);
      expect(plan.exitCode, plan.stderr).toBe(0);
      return JSON.parse(plan.stdout).tasks.find((t: { id: string }) => t.id === 'r:f').key;
    };
    expect(await keyWith('    timeout_s: 5\n')).toBe(await keyWith('    timeout_s: 3600\n'));
    expect(await keyWith('')).toBe(await keyWith('    timeout_s: 5\n'));
  });
});
