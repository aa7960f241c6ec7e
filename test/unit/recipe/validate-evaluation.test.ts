// Evaluation checks at recipe time: accuracy SLOs need labels, fidelity SLOs need eval inputs, scoring keys need labels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRecipes } from '../../../src/recipe/index.js';
import { MODEL, recipeErrors, stubPlugins, tempProject, type TempProject } from './fixtures.js';

let project: TempProject;
beforeAll(async () => {
  project = await tempProject({ 'm.onnx': MODEL, 'data/eval/labels.npy': 'npy' });
});
afterAll(() => project.cleanup());

const check = (text: string): ReturnType<typeof recipeErrors> => recipeErrors(project, text);

const head = 'name: r\nmodel: m.onnx\n';

describe('evaluation checks', () => {
  it.each([
    ['accuracy SLO, no data.eval', `${head}slo:\n  accuracy.top1: { min: 0.9 }\n`,
      'r.yaml:4:3 E_EVAL_NO_LABELS', /^`slo\.accuracy\.top1` needs labelled eval data, but the recipe has no `data\.eval`$/, /labels: \.\/data\/eval\/labels\.npy.*fidelity/],
    ['accuracy SLO, eval data without labels', `${head}data:\n  eval: { source: ./data/eval }\nslo:\n  accuracy.top1: { max_drop: 0.01 }\n`,
      'r.yaml:6:3 E_EVAL_NO_LABELS', /`slo\.accuracy\.top1` needs labels, but `data\.eval` has none: without labels only fidelity/, /\[N\] integer class ids.*\[N, \.\.\.\] float targets/],
    ['accuracy SLO on random inputs', `${head}data:\n  eval: { random: { seed: 0 } }\nslo:\n  accuracy.mse: { max: 0.1 }\n`,
      'r.yaml:6:3 E_EVAL_NO_LABELS', /`slo\.accuracy\.mse` needs labels/, undefined],
    ['fidelity SLO, no data.eval', `${head}slo:\n  fidelity.cosine: { min: 0.99 }\n`,
      'r.yaml:4:3 E_EVAL_NO_DATA', /`slo\.fidelity\.cosine` compares the final model with the source model on eval inputs/, /random: \{ seed: 0 \}/],
    ['class-id SLO with a target metric', `${head}data:\n  eval: { source: ./data/eval, labels: ./data/eval/labels.npy, metric: mse }\nslo:\n  accuracy.top1: { min: 0.5 }\n`,
      'r.yaml:6:3 E_EVAL_METRIC', /`slo\.accuracy\.top1` needs class-id labels, but `data\.eval\.metric: mse` scores the labels as float targets/, /accuracy\.mse/],
    ['target SLO with a class metric', `${head}data:\n  eval: { source: ./data/eval, labels: ./data/eval/labels.npy, metric: top5 }\nslo:\n  accuracy.snr_db: { min: 20 }\n`,
      'r.yaml:6:3 E_EVAL_METRIC', /needs float targets, but `data\.eval\.metric: top5` scores the labels as class ids/, /accuracy\.top5/],
    ['max_drop on fidelity', `${head}data:\n  eval: { random: { seed: 0 } }\nslo:\n  fidelity.cosine: { max_drop: 0.01 }\n`,
      'r.yaml:6:22 E_EVAL_METRIC', /fidelity is already measured against the source model, so there is no baseline value to drop from/, /fidelity\.cosine: \{ min: 0\.99 \}/],
    ['a scoring key without labels', `${head}data:\n  eval:\n    source: ./data/eval\n    metric: top1\n`,
      'r.yaml:6:5 E_EVAL_NO_LABELS', /^`data\.eval\.metric` says how labels are scored, but `data\.eval` has no `labels`$/, undefined],
  ])('%s', async (_name, text, at, message, hint) => {
    const errors = await check(text);
    expect(errors.map((e) => e.at)).toEqual([at]);
    expect(errors[0]?.message).toMatch(message);
    if (hint) expect(errors[0]?.hint).toMatch(hint);
  });

  it('accepts labelled accuracy SLOs and fidelity SLOs on random inputs', async () => {
    await project.write({
      'ok.yaml': `${head}data:\n  eval: { source: ./data/eval, labels: ./data/eval/labels.npy, metric: top1 }\nslo:\n  accuracy.top1: { max_drop: 0.01 }\n  accuracy.top5: { min: 0.9 }\n  fidelity.snr_db: { min: 30 }\n`,
      'fid.yaml': `name: f\nmodel: m.onnx\ndata:\n  eval: { random: { seed: 3 }, samples: 4 }\nslo:\n  fidelity.cosine: { min: 0.999 }\n`,
    });
    const recipes = await loadRecipes([project.path('ok.yaml'), project.path('fid.yaml')], { projectRoot: project.root, plugins: stubPlugins() });
    expect(recipes.map((r) => r.name)).toEqual(['r', 'f']);
  });
});
