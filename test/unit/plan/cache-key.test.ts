import { describe, expect, it } from 'vitest';
import { changedInputs, taskKey, type EngineVersions } from '../../../src/plan/cache-key.js';
import { planRecipe, type Task } from '../../../src/plan/task-graph.js';
import type { Recipe } from '../../../src/recipe/types.js';
import { recipeFixture, stubPlugins } from './recipe-fixture.js';

const versions: EngineVersions = { edgeopt: '0.1.0', onnxruntime: '1.30.0' };
const paths = new Map([['/proj/data/calib', 'c'.repeat(64)], ['/proj/recipes/tool.py', 'd'.repeat(64)]]);

function keyOf(recipe: Recipe, step: string, opts: { model?: string; versions?: EngineVersions; pluginVersion?: string; paths?: Map<string, string> } = {}): string {
  const task = planRecipe(recipe, stubPlugins).tasks.find((t: Task) => t.step === step)!;
  return taskKey(task, recipe, opts.versions ?? versions, opts.pluginVersion ?? '1.0.0', { model: opts.model ?? 'a'.repeat(64), paths: opts.paths ?? paths }).key;
}

describe('taskKey', () => {
  const base = recipeFixture();
  const k0 = keyOf(base, 'q');

  it('is stable for the same inputs, whatever the key order of params', () => {
    const reordered = recipeFixture({ steps: [base.steps[0]!, { ...base.steps[1]!, with: { precision: 'int8' } }] });
    expect(keyOf(reordered, 'q')).toBe(k0);
    expect(k0).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['a param', () => keyOf(recipeFixture({ steps: [base.steps[0]!, { ...base.steps[1]!, with: { precision: 'int4' } }] }), 'q')],
    ['the input model content', () => keyOf(base, 'q', { model: 'b'.repeat(64) })],
    ['the plugin version', () => keyOf(base, 'q', { pluginVersion: '1.0.1' })],
    ['the edgeopt version', () => keyOf(base, 'q', { versions: { ...versions, edgeopt: '0.2.0' } })],
    ['the onnxruntime version', () => keyOf(base, 'q', { versions: { ...versions, onnxruntime: '1.31.0' } })],
    ['the EP list', () => keyOf(recipeFixture({ target: { ...base.target, ep: ['xnnpack', 'cpu'] } }), 'q')],
    ['the calibration data content', () => keyOf(base, 'q', { paths: new Map([...paths, ['/proj/data/calib', 'e'.repeat(64)]]) })],
    ['the calibration sample count', () => keyOf(recipeFixture({ data: { calibration: { source: '/proj/data/calib', samples: 9 } } }), 'q')],
    ['a pinned input shape', () => keyOf(recipeFixture({ model: { path: base.model.path, inputs: { x: { shape: [1, 8] } } } }), 'q')],
  ])('changes when %s changes', (_what, other) => {
    expect(other()).not.toBe(k0);
  });

  it('does not change for inputs a step does not read', () => {
    // optimize reads no calibration data; threads matter only to measurements; an SLO is not an input
    const opt = keyOf(base, 'opt');
    expect(keyOf(base, 'opt', { paths: new Map([...paths, ['/proj/data/calib', 'e'.repeat(64)]]) })).toBe(opt);
    expect(keyOf(recipeFixture({ target: { ...base.target, threads: 4 } }), 'q')).toBe(k0);
    expect(keyOf(recipeFixture({ slo: { size_mb: { max: 1 } } }), 'q')).toBe(k0);
    expect(keyOf(recipeFixture({ name: 'r1', description: 'words' }), 'q')).toBe(k0);
  });

  it('measurements depend on threads', () => {
    expect(keyOf(recipeFixture({ target: { ...base.target, threads: 4 } }), 'final')).not.toBe(keyOf(base, 'final'));
  });

  it('declared file inputs enter the key by content', () => {
    const recipe = recipeFixture({ steps: [{ id: 'x', uses: 'exec', needs: [], with: { run: ['python3', 'tool.py'], inputs: ['tool.py'] } }] });
    const a = keyOf(recipe, 'x');
    const b = keyOf(recipe, 'x', { paths: new Map([...paths, ['/proj/recipes/tool.py', 'f'.repeat(64)]]) });
    expect(a).not.toBe(b);
  });
});

describe('changedInputs', () => {
  it('names the nested inputs that differ', () => {
    expect(changedInputs({ params: { a: 1, b: 2 }, model: 'x' }, { params: { a: 1, b: 3 }, model: 'y' })).toEqual(['model', 'params.b']);
    expect(changedInputs({ params: { a: [1, 2] } }, { params: { a: [1, 2] } })).toEqual([]);
  });
});
