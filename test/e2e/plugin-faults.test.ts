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

async function project(mode: string): Promise<string> {
  const dir = await makeProject({
    'edgeopt.config.json': JSON.stringify({ recipes: ['recipes/*.yaml'], plugins: ['./faulty.mjs'] }),
    'faulty.mjs': PLUGIN,
    'models/ww.onnx': { copy: WAKEWORD },
    'recipes/r.yaml': `name: r\nmodel: ../models/ww.onnx\nsteps:\n  - id: f\n    uses: faulty\n    with: { mode: ${mode} }\ntarget: { ep: [cpu], threads: 1 }\n${QUICK_BENCH}\nslo:\n  size_mb: { max: 10 }\n`,
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
});
