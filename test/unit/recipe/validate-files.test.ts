// Files a recipe names: located missing files (with a did-you-mean), paths escaping the project root, dataset sources.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRecipes } from '../../../src/recipe/index.js';
import { brief, errorsOf, MODEL, recipeErrors, stubPlugins, tempProject, type TempProject } from './fixtures.js';

let project: TempProject;
let outside: TempProject;
beforeAll(async () => {
  outside = await tempProject({ 'secret.onnx': MODEL, 'calib/': '' });
  project = await tempProject({ 'm.onnx': MODEL, 'data/calib/': '', 'data/eval/labels.npy': 'npy', 'models/': '' });
  await project.link('linked.onnx', outside.path('secret.onnx'));
  await project.link('data/linked', outside.path('calib'));
  // a dataset folder inside the project whose file is a link out of it, and one whose link stays inside
  await project.write({ 'data/leaky/': '', 'data/fine/': '', 'data/x.npy': 'npy' });
  await project.link('data/leaky/deep/x.npy', outside.path('secret.onnx'));
  await project.link('data/fine/x.npy', project.path('data/x.npy'));
  await project.link('data/fine/loop', project.path('data/fine'));
});
afterAll(async () => {
  await project.cleanup();
  await outside.cleanup();
});

const check = (text: string, file = 'r.yaml'): ReturnType<typeof recipeErrors> => recipeErrors(project, text, file);

describe('file and path errors', () => {
  it.each([
    ['missing model', 'name: r\nmodel: ./models/nope.onnx\n',
      'r.yaml:2:8 E_FILE_MISSING', /^`model`: model file `\.\/models\/nope\.onnx` not found \(looked for .*\/models\/nope\.onnx\)$/, /relative to the file/],
    ['a typo of an existing file', 'name: r\nmodel:\n  path: ./n.onnx\n',
      'r.yaml:3:9 E_FILE_MISSING', /`model\.path`: model file `\.\/n\.onnx` not found/, /did you mean `\.\/m\.onnx`\?/],
    ['a folder where a file goes', 'name: r\nmodel: ./models\n',
      'r.yaml:2:8 E_FILE_MISSING', /must be a file, but .* is a folder/, /path of the file itself/],
    ['missing data folder, did you mean', 'name: r\nmodel: m.onnx\ndata:\n  calibration: { source: ./data/calb }\n',
      'r.yaml:4:26 E_FILE_MISSING', /`data\.calibration\.source`: calibration data folder/, /did you mean `\.\/data\/calib`\?/],
    ['a file where the data folder goes', 'name: r\nmodel: m.onnx\ndata:\n  eval: { source: ./m.onnx }\n',
      'r.yaml:4:19 E_FILE_MISSING', /must be a folder/, /folder that holds the \.npy files/],
    ['missing labels', 'name: r\nmodel: m.onnx\ndata:\n  eval:\n    source: ./data/eval\n    labels: ./data/eval/labls.npy\n',
      'r.yaml:6:13 E_FILE_MISSING', /`data\.eval\.labels`: labels file/, /did you mean `\.\/data\/eval\/labels\.npy`\?/],
    ['.. leaves the project', 'name: r\nmodel: ../elsewhere/m.onnx\n',
      'r.yaml:2:8 E_PATH_ESCAPES', /^`model`: model file `\.\.\/elsewhere\/m\.onnx` resolves to .*, outside the project root /, /move or copy it into the project/],
    ['an absolute path outside the project', 'name: r\nmodel: /etc/hostname\n',
      'r.yaml:2:8 E_PATH_ESCAPES', /outside the project root/, /into the project/],
    ['a symlink to a file outside', 'name: r\nmodel: ./linked.onnx\n',
      'r.yaml:2:8 E_PATH_ESCAPES', /is a symlink to .*secret\.onnx, outside the project root/, /copy the file into the project/],
    ['a symlinked folder outside', 'name: r\nmodel: m.onnx\ndata:\n  calibration: { source: ./data/linked }\n',
      'r.yaml:4:26 E_PATH_ESCAPES', /symlink/, /copy/],
    ['a dataset folder holding a link out of the project', 'name: r\nmodel: m.onnx\ndata:\n  calibration: { source: ./data/leaky }\n',
      'r.yaml:4:26 E_PATH_ESCAPES', /^`data\.calibration\.source`: calibration data folder `\.\/data\/leaky` holds a link deep\/x\.npy to .*secret\.onnx, outside the project root/, /copy the file into the dataset folder/],
    ['a model file that is not a model', 'name: r\nmodel: data/x.npy\n',
      'r.yaml:2:8 E_MODEL_CORRUPT', /^`model`: model file `data\/x\.npy` is not an ONNX model/, /export or download the model again/],
    ['both source and random', 'name: r\nmodel: m.onnx\ndata:\n  calibration: { source: ./data/calib, random: { seed: 1 } }\n',
      'r.yaml:4:40 E_DATASET_SOURCE', /^`data\.calibration` has both `source` and `random`; it needs exactly one$/, /remove `random`/],
    ['neither source nor random', 'name: r\nmodel: m.onnx\ndata:\n  calibration: { samples: 3 }\n',
      'r.yaml:4:3 E_DATASET_SOURCE', /`data\.calibration` needs an input source/, /random: \{ seed: 0 \}/],
    ['labels for random inputs', 'name: r\nmodel: m.onnx\ndata:\n  eval: { random: { seed: 1 }, labels: ./data/eval/labels.npy }\n',
      'r.yaml:4:32 E_DATASET_SOURCE', /cannot label `random` inputs/, /fidelity/],
    ['a file a plugin reads (fileInputs) is missing', 'name: r\nmodel: m.onnx\nsteps:\n  - id: t\n    uses: tables\n    with: { file: ./tables.csv }\n',
      'r.yaml:6:11 E_FILE_MISSING', /file read by step `t` `\.\/tables\.csv` not found/, undefined],
  ])('%s', async (_name, text, at, message, hint) => {
    const errors = await check(text);
    expect(errors.map((e) => e.at)).toEqual([at]);
    expect(errors[0]?.message).toMatch(message);
    if (hint) expect(errors[0]?.hint).toMatch(hint);
  });

  it('paths are relative to the recipe file, and absolute paths inside the root are fine', async () => {
    await project.write({ 'recipes/sub/r.yaml': `name: r\nmodel: ../../m.onnx\ndata:\n  calibration: { source: ${project.path('data/calib')} }\n` });
    const [recipe] = await loadRecipes([project.path('recipes/sub/r.yaml')], { projectRoot: project.root, plugins: stubPlugins() });
    expect(recipe?.model.path).toBe(project.path('m.onnx'));
    expect(recipe?.data.calibration).toEqual({ source: project.path('data/calib'), samples: 16 });
  });

  it('links that stay inside the project are fine, a link back up the folder included', async () => {
    await project.write({ 'r.yaml': 'name: r\nmodel: m.onnx\ndata:\n  calibration: { source: ./data/fine }\n' });
    const [recipe] = await loadRecipes([project.path('r.yaml')], { projectRoot: project.root, plugins: stubPlugins() });
    expect(recipe?.data.calibration?.source).toBe(project.path('data/fine'));
  });

  it('random datasets get their seed and default sample counts', async () => {
    await project.write({ 'r.yaml': 'name: r\nmodel: m.onnx\ndata:\n  calibration: { random: { seed: 7 } }\n  eval: { random: { seed: 8 } }\n' });
    const [recipe] = await loadRecipes([project.path('r.yaml')], { projectRoot: project.root, plugins: stubPlugins() });
    expect(recipe?.data).toEqual({ calibration: { seed: 7, samples: 16 }, eval: { seed: 8, samples: 16 } });
  });

  it('eval files are evaluated whole unless `samples` caps them; scoring settings are kept', async () => {
    await project.write({ 'r.yaml': 'name: r\nmodel: m.onnx\ndata:\n  eval: { source: ./data/calib, labels: ./data/eval/labels.npy, output: probs, threshold: 0 }\n' });
    const [whole] = await loadRecipes([project.path('r.yaml')], { projectRoot: project.root, plugins: stubPlugins() });
    expect(whole?.data.eval).toEqual({ source: project.path('data/calib'), labels: project.path('data/eval/labels.npy'), output: 'probs', threshold: 0 });
    await project.write({ 'r.yaml': 'name: r\nmodel: m.onnx\ndata:\n  eval: { source: ./data/calib, samples: 5 }\n' });
    const [capped] = await loadRecipes([project.path('r.yaml')], { projectRoot: project.root, plugins: stubPlugins() });
    expect(capped?.data.eval).toEqual({ source: project.path('data/calib'), samples: 5 });
  });
});
