// Schema errors of a recipe, each at its exact line:column with the path, what was expected, what was found and a fix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRecipes } from '../../../src/recipe/index.js';
import { brief, errorsOf, MODEL, recipeErrors, stubPlugins, tempProject, type TempProject } from './fixtures.js';

let project: TempProject;
beforeAll(async () => {
  project = await tempProject({ 'm.onnx': MODEL });
});
afterAll(() => project.cleanup());

const check = (text: string): ReturnType<typeof recipeErrors> => recipeErrors(project, text);

const HEAD = 'name: r\nmodel: m.onnx\n';

describe('schema errors', () => {
  it.each([
    ['unknown key, did you mean', `${HEAD}target:\n  thredas: 4\n`,
      'r.yaml:4:3 E_UNKNOWN_KEY', /^unknown key `thredas` in `target`$/, /did you mean `threads`\?/],
    ['unknown SLO metric', `${HEAD}slo:\n  latency.p90: { max: 3 }\n`,
      'r.yaml:4:3 E_UNKNOWN_KEY', /unknown key `latency\.p90` in `slo`/, /did you mean `latency\.p90_ms`\?/],
    ['unknown threshold key', `${HEAD}slo:\n  size_mb: { maximum: 3 }\n`,
      'r.yaml:4:14 E_UNKNOWN_KEY', /in `slo\.size_mb`/, /did you mean `max`\?/],
    ['unknown key with nothing close lists the allowed keys', `${HEAD}benchmark:\n  zzz: 1\n`,
      'r.yaml:4:3 E_UNKNOWN_KEY', /`zzz`/, /allowed keys: warmup, runs, min_time_ms, timeout_s/],
    ['quoted number', `${HEAD}target:\n  threads: "4"\n`,
      'r.yaml:4:12 E_TYPE', /^`target\.threads` must be an integer, found the string "4"$/, /remove the quotes/],
    ['a fraction for an integer', `${HEAD}benchmark:\n  runs: 2.5\n`,
      'r.yaml:4:9 E_TYPE', /`benchmark\.runs` must be an integer, found the number 2\.5/, /whole number/],
    ['empty value', `${HEAD}target:\n  threads:\n`,
      'r.yaml:4:11 E_TYPE', /`target\.threads` must be an integer, found nothing/, /give it a value/],
    ['a scalar where a list goes', `${HEAD}target:\n  ep: cpu\n`,
      'r.yaml:4:7 E_TYPE', /`target\.ep` must be a list, found the string "cpu"/, /write a list, e.g\. \["cpu"\]/],
    ['missing top-level key', 'name: r\n',
      'r.yaml:1:1 E_REQUIRED', /^the recipe is missing the required key `model`$/, /add `model:`/],
    ['missing key in a list item', `${HEAD}steps:\n  - id: a\n`,
      'r.yaml:4:5 E_REQUIRED', /`steps\[0\]` is missing the required key `uses`/, /plugin name/],
    ['enum', `${HEAD}target:\n  format: onx\n`,
      'r.yaml:4:11 E_ENUM', /^`target\.format` must be one of onnx, ort, found the string "onx"$/, /did you mean `onnx`\?/],
    ['enum inside a list (one message for the whole union)', `${HEAD}target:\n  ep: [cpu, nnapii]\n`,
      'r.yaml:4:13 E_ENUM', /`target\.ep\[1\]` must be one of the 18 allowed values, found the string "nnapii"/, /did you mean `nnapi`\?/],
    ['union: no branch takes the type', 'name: r\nmodel: 3\n',
      'r.yaml:2:8 E_TYPE', /^`model` must be a string or a mapping, found the number 3$/, undefined],
    ['union: nested enum in the mapping branch', `name: r\nmodel:\n  path: m.onnx\n  inputs: { sr: { shape: [], dtype: int65 } }\n`,
      'r.yaml:4:37 E_ENUM', /`model\.inputs\.sr\.dtype` must be one of float32, float16, .* found the string "int65"|the 12 allowed values/, /did you mean `int64`\?/],
    ['union: list branch chosen for a list', `name: r\nmodel:\n  path: m.onnx\n  inputs: { x: [1, 0] }\n`,
      'r.yaml:4:20 E_VALUE', /`model\.inputs\.x\[1\]` must be >= 1, found the number 0/, /^write a number >= 1/],
    ['a bound names what the key is for', `${HEAD}benchmark:\n  timeout_s: 3000000\n`,
      'r.yaml:4:14 E_VALUE', /`benchmark\.timeout_s` must be <= 2147483, found the number 3000000/, /^write a number <= 2147483: .*longest timer Node keeps/],
    ['union of three types', `name: r\nmodel:\n  path: m.onnx\n  inputs: { sr: { shape: [], value: abc } }\n`,
      'r.yaml:4:37 E_TYPE', /must be a number, true or false, or a list, found the string "abc"/, undefined],
    ['extends of the wrong type', `extends: 3\n${HEAD}`,
      'r.yaml:1:10 E_TYPE', /`extends` must be a string or a list, found the number 3/, undefined],
    ['empty threshold', `${HEAD}slo:\n  size_mb: {}\n`,
      'r.yaml:4:12 E_VALUE', /`slo\.size_mb` needs at least one of `max`, `min`, `max_drop`/, /max: /],
    ['name pattern', 'name: my recipe\nmodel: m.onnx\n',
      'r.yaml:1:7 E_VALUE', /`name` must match/, /letters, digits/],
    ['repeated list item points at the repeat', `${HEAD}target:\n  ep: [cpu, xnnpack, cpu]\n`,
      'r.yaml:4:22 E_VALUE', /`target\.ep` lists the string "cpu" twice/, /remove the repeated item/],
    ['not a mapping at all', '- a\n- b\n',
      'r.yaml:1:1 E_TYPE', /^the document must be a mapping, found a list$/, /key: value/],
  ])('%s', async (_name, text, at, message, hint) => {
    const errors = await check(text);
    expect(errors.map((e) => e.at)).toEqual([at]);
    expect(errors[0]?.message).toMatch(message);
    if (hint) expect(errors[0]?.hint).toMatch(hint);
  });

  it('reports every error of a file at once, in file order', async () => {
    const errors = await check('nmae: r\nmodel: {pth: m.onnx}\ntarget:\n  thredas: 4\n  format: onx\nslo:\n  size_mb: {}\n');
    expect(errors.map((e) => e.at)).toEqual([
      'r.yaml:1:1 E_REQUIRED', 'r.yaml:1:1 E_UNKNOWN_KEY', 'r.yaml:2:1 E_REQUIRED', 'r.yaml:2:9 E_UNKNOWN_KEY',
      'r.yaml:4:3 E_UNKNOWN_KEY', 'r.yaml:5:11 E_ENUM', 'r.yaml:7:12 E_VALUE',
    ]);
    expect(errors[2]?.message).toBe('`model` is missing the required key `path`');
    expect(errors[3]?.hint).toBe('did you mean `path`?');
  });

  it('fills lineText for a caret', async () => {
    await project.write({ 'r.yaml': `${HEAD}target:\n  threads: 0\n` });
    const [e] = await errorsOf(loadRecipes([project.path('r.yaml')], { projectRoot: project.root, plugins: stubPlugins() }));
    expect(e?.location).toEqual({ file: project.path('r.yaml'), line: 4, column: 12, lineText: '  threads: 0' });
    expect(e?.kind).toBe('recipe');
  });
});
