// Step checks: plugins named by `uses`, their params (errors inside `with:`), check(), ids, needs and cycles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plugin } from '../../../src/api.js';
import { loadRecipes } from '../../../src/recipe/index.js';
import { brief, errorsOf, MODEL, stubPlugins, tempProject, type TempProject } from './fixtures.js';

let project: TempProject;
beforeAll(async () => {
  project = await tempProject({ 'm.onnx': MODEL });
});
afterAll(() => project.cleanup());

async function check(steps: string, plugins: ReadonlyMap<string, Plugin> = stubPlugins()): Promise<Array<{ at: string; message: string; hint?: string; kind: string }>> {
  await project.write({ 'r.yaml': `name: r\nmodel: m.onnx\nsteps:\n${steps}` });
  const errors = await errorsOf(loadRecipes([project.path('r.yaml')], { projectRoot: project.root, plugins }));
  return errors.map((e) => ({ at: brief(e, project.root), message: e.message, kind: e.kind, ...(e.hint ? { hint: e.hint } : {}) }));
}

describe('step errors', () => {
  it.each([
    ['unknown plugin, did you mean', '  - id: opt\n    uses: optimise\n',
      'r.yaml:5:11 E_UNKNOWN_PLUGIN', /^`steps\[0\]\.uses` names `optimise`, which is not a known plugin$/, /did you mean `optimize`\?/],
    ['unknown plugin, nothing close', '  - id: x\n    uses: zzzzzz\n',
      'r.yaml:5:11 E_UNKNOWN_PLUGIN', /`zzzzzz`/, /available plugins: benchmark, optimize, quantize, tables/],
    ['plugin param enum, located inside with', '  - id: q\n    uses: quantize\n    with:\n      precision: int9\n',
      'r.yaml:7:18 E_PLUGIN_PARAMS', /^`steps\[0\]\.with\.precision` must be one of int8, uint8, int4, fp16, found the string "int9"$/, /did you mean `int8`\?/],
    ['plugin param unknown nested key', '  - id: q\n    uses: quantize\n    with:\n      precision: int8\n      calibration:\n        methd: minmax\n',
      'r.yaml:9:9 E_PLUGIN_PARAMS', /unknown key `methd` in `steps\[0\]\.with\.calibration`/, /did you mean `method`\?/],
    ['plugin param required, with absent', '  - id: q\n    uses: quantize\n',
      'r.yaml:4:5 E_PLUGIN_PARAMS', /`steps\[0\]\.with` is missing the required key `precision`/, /add `precision:`/],
    ["plugin check() problem at its pointer", '  - id: q\n    uses: quantize\n    with: { precision: int8, calibration: { method: minmax, percentile: 99 } }\n',
      'r.yaml:6:73 E_PLUGIN_PARAMS', /^`steps\[0\]\.with\.calibration\.percentile`: percentile only applies to method: percentile$/, /set method: percentile/],
    ['duplicate step id', '  - id: a\n    uses: optimize\n  - id: a\n    uses: optimize\n',
      'r.yaml:6:9 E_DUPLICATE_STEP', /^step id `a` is used twice \(steps\[0\] on line 4 has it too\)$/, /unique id/],
    ['needs an unknown id', '  - id: opt\n    uses: optimize\n  - id: q\n    uses: quantize\n    needs: [otp]\n    with: { precision: int8 }\n',
      'r.yaml:8:13 E_NEEDS_UNKNOWN', /`steps\[1\]\.needs` names `otp`, which is not the id of a step/, /did you mean `opt`\?/],
    ['explicit cycle', '  - id: a\n    uses: optimize\n    needs: [b]\n  - id: b\n    uses: optimize\n    needs: [a]\n',
      'r.yaml:6:12 E_NEEDS_CYCLE', /cycle: `a` needs `b`, `b` needs `a`$/, /remove one of these dependencies/],
    ['cycle through the implicit previous-step dependency', '  - id: a\n    uses: optimize\n    needs: [b]\n  - id: b\n    uses: optimize\n',
      'r.yaml:6:12 E_NEEDS_CYCLE', /`a` needs `b`, `b` needs `a` \(implicitly: it is the step before it\)/, /`needs: \[\]`/],
    ['a step that needs itself', '  - id: a\n    uses: optimize\n    needs: [a]\n',
      'r.yaml:6:12 E_NEEDS_CYCLE', /cycle: `a` needs `a`$/, undefined],
    ['bad step id', '  - id: 1st\n    uses: optimize\n',
      'r.yaml:4:9 E_VALUE', /`steps\[0\]\.id` must match/, /start with a letter/],
  ])('%s', async (_name, steps, at, message, hint) => {
    const errors = await check(steps);
    expect(errors.map((e) => e.at)).toEqual([at]);
    expect(errors[0]?.message).toMatch(message);
    if (hint) expect(errors[0]?.hint).toMatch(hint);
  });

  it('reports a longer cycle once, naming every link', async () => {
    const errors = await check([
      '  - id: a\n    uses: optimize\n    needs: [c]\n',
      '  - id: b\n    uses: optimize\n    needs: [a]\n',
      '  - id: c\n    uses: optimize\n    needs: [b]\n',
    ].join(''));
    expect(errors.map((e) => e.at)).toEqual(['r.yaml:6:12 E_NEEDS_CYCLE']);
    expect(errors[0]?.message).toMatch(/`a` needs `c`, `c` needs `b`, `b` needs `a`/);
  });

  it('checks every step, not just the first bad one', async () => {
    const errors = await check('  - id: a\n    uses: optimise\n  - id: a\n    uses: quantize\n    with: { precision: int9 }\n');
    expect(errors.map((e) => e.at)).toEqual(['r.yaml:5:11 E_UNKNOWN_PLUGIN', 'r.yaml:6:9 E_DUPLICATE_STEP', 'r.yaml:8:24 E_PLUGIN_PARAMS']);
  });

  it('a plugin whose params schema does not compile is a plugin bug, reported at uses', async () => {
    const broken: Plugin = { ...stubPlugins().get('optimize')!, name: 'broken', params: { type: 'object', properties: { x: { type: 'strnig' } } } };
    const errors = await check('  - id: a\n    uses: broken\n', new Map([['broken', broken]]));
    expect(errors.map((e) => e.at)).toEqual(['r.yaml:5:11 E_PLUGIN_SCHEMA']);
    expect(errors[0]?.kind).toBe('internal');
  });

  it('a throwing check() is reported, not thrown', async () => {
    const plugin: Plugin = { ...stubPlugins().get('optimize')!, check: () => { throw new Error('boom'); } };
    const errors = await check('  - id: a\n    uses: optimize\n', new Map([['optimize', plugin]]));
    expect(errors.map((e) => e.at)).toEqual(['r.yaml:5:11 E_PLUGIN_CHECK']);
  });

  it('resolves needs: as written, else the previous step, and [] for the first', async () => {
    await project.write({ 'r.yaml': 'name: r\nmodel: m.onnx\nsteps:\n  - { id: a, uses: optimize }\n  - { id: b, uses: optimize }\n  - { id: c, uses: optimize, needs: [] }\n  - { id: d, uses: benchmark, needs: [a, c] }\n' });
    const [recipe] = await loadRecipes([project.path('r.yaml')], { projectRoot: project.root, plugins: stubPlugins() });
    expect(recipe?.steps.map((s) => [s.id, s.needs])).toEqual([['a', []], ['b', ['a']], ['c', []], ['d', ['a', 'c']]]);
    expect(recipe?.steps[0]?.with).toEqual({});
  });
});
