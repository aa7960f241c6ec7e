// The stage's entry point: the contract recipe from ARCHITECTURE.md loads into the documented Recipe; errors of all files.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EdgeoptErrors } from '../../../src/errors.js';
import { loadRecipes, PRESET_DIR } from '../../../src/recipe/index.js';
import { brief, CONTRACT_FILES, CONTRACT_RECIPE, errorsOf, MODEL, stubPlugins, tempProject, type TempProject } from './fixtures.js';

let p: TempProject;
beforeEach(async () => {
  p = await tempProject({ ...CONTRACT_FILES, 'm.onnx': MODEL });
});
afterEach(() => p.cleanup());

const load = (files: string[]): ReturnType<typeof loadRecipes> =>
  loadRecipes(files.map((f) => p.path(f)), { projectRoot: p.root, plugins: stubPlugins() });

describe('loadRecipes', () => {
  it('loads the contract recipe as written', async () => {
    await p.write({ 'vad-phone.yaml': CONTRACT_RECIPE });
    const [r] = await load(['vad-phone.yaml']);
    const { locations, ...rest } = r!;
    expect(rest).toEqual({
      name: 'vad-phone',
      file: p.path('vad-phone.yaml'),
      dir: p.root,
      projectRoot: p.root,
      model: {
        path: p.path('models/silero_vad.onnx'),
        inputs: { input: { shape: [1, 512] }, sr: { shape: [], dtype: 'int64', value: 16000 } },
      },
      data: {
        calibration: { source: p.path('data/calib'), samples: 128 },
        // no `samples`: eval files are evaluated whole
        eval: { source: p.path('data/eval'), labels: p.path('data/eval/labels.npy'), metric: 'top1' },
      },
      steps: [
        { id: 'opt', uses: 'optimize', needs: [], with: { level: 'extended' } },
        {
          id: 'int8', uses: 'quantize', needs: ['opt'],
          with: { precision: 'int8', mode: 'static', format: 'qdq', per_channel: true, calibration: { method: 'percentile', percentile: 99.99 }, exclude: { ops: ['Softmax'] } },
        },
      ],
      target: { format: 'onnx', ep: ['nnapi', 'xnnpack', 'cpu'], threads: 4 },
      benchmark: { warmup: 10, runs: 100, min_time_ms: 2000, timeout_s: 600 },
      gate: { retries: 2, confidence: 0.95 },
      slo: {
        'latency.p90_ms': { max: 12 }, size_mb: { max: 4 }, peak_memory_mb: { max: 120 },
        'accuracy.top1': { max_drop: 0.01 }, speedup_vs_baseline: { min: 1.5 },
      },
      sources: [p.path('vad-phone.yaml'), join(PRESET_DIR, 'phone.yaml')],
    });
    expect(locations['/slo/size_mb/max']).toEqual({ file: p.path('vad-phone.yaml'), line: 25, column: 19, lineText: '  size_mb: { max: 4 }' });
    expect(locations['/steps/1/with/calibration/percentile']).toMatchObject({ line: 18, column: 60 });
    expect(locations['/benchmark/runs']?.file).toBe(join(PRESET_DIR, 'phone.yaml'));
  });

  it('collects the errors of every file before throwing, and no partial result', async () => {
    await p.write({
      'a.yaml': 'name: a\nmodel: m.onnx\ntarget: { threads: 0 }\n',
      'ok.yaml': 'name: ok\nmodel: m.onnx\n',
      'b.yaml': 'name: b\nmodel: m.onnx\nsteps:\n  - { id: s, uses: nope }\nbenchmark: { runz: 3 }\n',
      'c.yaml': 'name: c\nmodel: [\n',
    });
    const thrown = await load(['a.yaml', 'ok.yaml', 'b.yaml', 'c.yaml', 'missing.yaml']).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(EdgeoptErrors);
    expect((thrown as EdgeoptErrors).errors.map((e) => brief(e, p.root))).toEqual([
      'a.yaml:3:20 E_VALUE', 'b.yaml:4:20 E_UNKNOWN_PLUGIN', 'b.yaml:5:14 E_UNKNOWN_KEY', 'c.yaml:2:8 E_YAML_SYNTAX', '- E_FILE_MISSING',
    ]);
  });

  it('two recipes may not share a name', async () => {
    await p.write({ 'one.yaml': 'name: same\nmodel: m.onnx\n', 'two.yaml': '# second\nname: same\nmodel: m.onnx\n' });
    const errors = await errorsOf(load(['one.yaml', 'two.yaml']));
    expect(errors.map((e) => brief(e, p.root))).toEqual(['two.yaml:2:7 E_DUPLICATE_NAME']);
    expect(errors[0]?.message).toBe(`recipe name \`same\` is already used by ${p.path('one.yaml')}:1:7`);
  });

  it('names that differ only in case collide (output folders ignore case on macOS and Windows)', async () => {
    await p.write({ 'one.yaml': 'name: Det\nmodel: m.onnx\n', 'two.yaml': 'name: det\nmodel: m.onnx\n' });
    const errors = await errorsOf(load(['one.yaml', 'two.yaml']));
    expect(errors.map((e) => brief(e, p.root))).toEqual(['two.yaml:1:7 E_DUPLICATE_NAME']);
    expect(errors[0]?.message).toMatch(/as `Det` \(output folders ignore case/);
  });

  it.each([
    ['index.html', /the build writes \.edgeopt\/out\/index\.html itself/],
    ['INDEX.HTML', /the build writes/],
    ['con', /device name on Windows/],
    ['Lpt1.onnx', /device name on Windows/],
    ['v2.', /ends with a dot/],
  ])('a recipe may not be named %s (it cannot be its output folder)', async (name, message) => {
    await p.write({ 'r.yaml': `name: ${name}\nmodel: m.onnx\n` });
    const errors = await errorsOf(load(['r.yaml']));
    expect(errors.map((e) => brief(e, p.root))).toEqual(['r.yaml:1:7 E_RECIPE_NAME']);
    expect(errors[0]?.message).toMatch(message);
  });

  it('a name longer than 100 characters is refused before it becomes a path too long to create', async () => {
    await p.write({ 'r.yaml': `name: ${'a'.repeat(300)}\nmodel: m.onnx\n` });
    const errors = await errorsOf(load(['r.yaml']));
    expect(errors.map((e) => [brief(e, p.root), e.message])).toEqual([['r.yaml:1:7 E_VALUE', '`name` must have at most 100 characters, found 300']]);
  });

  it('a recipe outside the project root is a usage error', async () => {
    const other = await tempProject({ 'r.yaml': 'name: r\nmodel: m.onnx\n', 'm.onnx': MODEL });
    const errors = await errorsOf(loadRecipes([other.path('r.yaml')], { projectRoot: p.root, plugins: stubPlugins() }));
    await other.cleanup();
    expect(errors.map((e) => [e.code, e.kind])).toEqual([['E_PATH_ESCAPES', 'usage'], ['E_PATH_ESCAPES', 'recipe']]);
  });

  it('a file named twice loads once', async () => {
    await p.write({ 'one.yaml': 'name: one\nmodel: m.onnx\n' });
    expect(await load(['one.yaml', './one.yaml'])).toHaveLength(1);
  });

  it('recipes sharing a preset do not share its objects', async () => {
    await p.write({ 'one.yaml': 'extends: edgeopt:phone\nname: one\nmodel: m.onnx\n', 'two.yaml': 'extends: edgeopt:phone\nname: two\nmodel: m.onnx\n' });
    const [one, two] = await load(['one.yaml', 'two.yaml']);
    one!.target.ep.push('webgpu');
    expect(two!.target.ep).toEqual(['nnapi', 'xnnpack', 'cpu']);
  });

  it('applies RECIPE_DEFAULTS when nothing sets a value', async () => {
    await p.write({ 'one.yaml': 'name: one\nmodel: m.onnx\n' });
    const [r] = await load(['one.yaml']);
    expect(r).toMatchObject({
      target: { format: 'onnx', ep: ['cpu'], threads: 1 }, benchmark: { warmup: 10, runs: 50, min_time_ms: 1000, timeout_s: 600 },
      gate: { retries: 2, confidence: 0.95 }, slo: {}, steps: [], data: {}, model: { path: p.path('m.onnx'), inputs: {} }, sources: [p.path('one.yaml')],
    });
  });
});
