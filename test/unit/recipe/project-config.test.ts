// Project config: found upward from cwd in every supported form, validated with located errors, defaults under recipes.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProjectConfig, loadRecipes, PRESET_DIR } from '../../../src/recipe/index.js';
import { brief, errorsOf, MODEL, stubPlugins, tempProject, type TempProject } from './fixtures.js';

let project: TempProject;
beforeEach(async () => {
  project = await tempProject({ 'sub/deeper/': '' });
});
afterEach(() => project.cleanup());

describe('loadProjectConfig', () => {
  it.each([
    ['edgeopt.config.yaml', 'concurrency: 2\n'],
    ['edgeopt.config.json', '{ "concurrency": 2 }\n'],
    ['edgeopt.config.mjs', 'export default { concurrency: 2 };\n'],
    ['edgeopt.config.js', 'export default { concurrency: 2 };\n'],
    ['.edgeoptrc', 'concurrency: 2\n'],
    ['.edgeoptrc.yml', 'concurrency: 2\n'],
    ['package.json', '{ "name": "p", "type": "module", "edgeopt": { "concurrency": 2 } }\n'],
  ])('finds %s searching upward; the root is its folder', async (file, text) => {
    await project.write({ [file]: text });
    const found = await loadProjectConfig(project.path('sub/deeper'));
    expect(found).toEqual({ root: project.root, config: { concurrency: 2 }, file: project.path(file) });
  });

  it('without a config, the root is cwd', async () => {
    const found = await loadProjectConfig(project.path('sub'));
    expect(found.root).toBe(project.path('sub'));
    expect(found.config).toEqual({});
  });

  it('skips a package.json without an edgeopt key and keeps searching', async () => {
    await project.write({ 'edgeopt.config.yaml': 'cacheDir: .cache\n', 'sub/package.json': '{ "name": "inner" }\n' });
    expect((await loadProjectConfig(project.path('sub/deeper'))).root).toBe(project.root);
  });

  it.each([
    ['edgeopt.config.yaml', 'concurency: 2\nrecipes: recipes/*.yaml\n',
      ['edgeopt.config.yaml:1:1 E_UNKNOWN_KEY', 'edgeopt.config.yaml:2:10 E_TYPE'], /did you mean `concurrency`\?/],
    ['package.json', '{\n  "name": "p",\n  "edgeopt": {\n    "concurrency": 0\n  }\n}\n',
      ['package.json:4:20 E_VALUE'], undefined],
    ['edgeopt.config.json', '{\n  "defaults": { "target": { "thredas": 2 } }\n}\n',
      ['edgeopt.config.json:2:29 E_UNKNOWN_KEY'], /did you mean `threads`\?/],
    ['edgeopt.config.yaml', 'defaults:\n  model: nope\n',
      ['edgeopt.config.yaml:2:3 E_UNKNOWN_KEY'], /allowed keys/],
    ['edgeopt.config.yaml', 'concurrency: [2\n',
      ['edgeopt.config.yaml:1:14 E_YAML_SYNTAX'], undefined],
    ['edgeopt.config.mjs', 'export default { concurrency: "2" };\n',
      ['edgeopt.config.mjs:1:1 E_TYPE'], /remove the quotes/],
    ['edgeopt.config.mjs', 'export default {;\n',
      ['edgeopt.config.mjs:1:1 E_CONFIG_LOAD'], /fix the error/],
  ])('%s errors are located: %s', async (file, text, expected, hint) => {
    await project.write({ [file]: text });
    const errors = await errorsOf(loadProjectConfig(project.root));
    expect(errors.map((e) => brief(e, project.root))).toEqual(expected);
    if (hint) expect(errors[0]?.hint).toMatch(hint);
  });

  it('accepts the documented keys', async () => {
    await project.write({ 'edgeopt.config.yaml': 'recipes: [examples/*.yaml]\nconcurrency: 4\ncacheDir: .cache\nplugins: [./my-plugin.js]\ndefaults:\n  benchmark: { runs: 7 }\n' });
    const { config } = await loadProjectConfig(project.root);
    expect(config).toEqual({ recipes: ['examples/*.yaml'], concurrency: 4, cacheDir: '.cache', plugins: ['./my-plugin.js'], defaults: { benchmark: { runs: 7 } } });
  });
});

describe('config defaults', () => {
  it('lie under extends and the recipe, keep their places, and count as a source', async () => {
    await project.write({
      'm.onnx': MODEL,
      'data/calib/': '',
      'edgeopt.config.yaml': 'defaults:\n  benchmark: { runs: 7, warmup: 3 }\n  target: { threads: 16 }\n  data:\n    calibration: { source: ./data/calib }\n',
      'recipes/r.yaml': 'extends: edgeopt:aipc\nname: r\nmodel: ../m.onnx\nbenchmark: { warmup: 1 }\n',
    });
    const { root, config } = await loadProjectConfig(project.path('recipes'));
    const [r] = await loadRecipes([project.path('recipes/r.yaml')], { projectRoot: root, config, plugins: stubPlugins() });
    expect(r?.benchmark).toMatchObject({ runs: 200, warmup: 1 }); // the preset beats defaults, the recipe beats both
    expect(r?.target.threads).toBe(8);
    expect(r?.data.calibration?.source).toBe(project.path('data/calib')); // relative to the config file
    expect(r?.locations['/data/calibration/source']).toMatchObject({ file: project.path('edgeopt.config.yaml'), line: 5, column: 28 });
    expect(r?.sources).toEqual([project.path('recipes/r.yaml'), join(PRESET_DIR, 'aipc.yaml'), project.path('edgeopt.config.yaml')]);
  });

  it('a config built in code works too (no places)', async () => {
    await project.write({ 'm.onnx': MODEL, 'r.yaml': 'name: r\nmodel: m.onnx\n' });
    const [r] = await loadRecipes([project.path('r.yaml')], {
      projectRoot: project.root, config: { defaults: { slo: { size_mb: { max: 3 } } } }, plugins: stubPlugins(),
    });
    expect(r?.slo).toEqual({ size_mb: { max: 3 } });
  });

  it('an invalid value from defaults is reported at the config file', async () => {
    await project.write({ 'm.onnx': MODEL, 'r.yaml': 'name: r\nmodel: m.onnx\n', 'edgeopt.config.yaml': 'defaults:\n  data:\n    eval: { samples: 3 }\n' });
    const { root, config } = await loadProjectConfig(project.root);
    const errors = await errorsOf(loadRecipes([project.path('r.yaml')], { projectRoot: root, config, plugins: stubPlugins() }));
    expect(errors.map((e) => brief(e, project.root))).toEqual(['edgeopt.config.yaml:3:5 E_DATASET_SOURCE']);
  });
});
