import { describe, expect, it } from 'vitest';
import { EdgeoptError } from '../../../src/errors.js';
import { ancestorsOf, planRecipe, planRecipes } from '../../../src/plan/task-graph.js';
import { recipeFixture, stubPlugins } from './recipe-fixture.js';

describe('planRecipe', () => {
  it('an explicit empty `needs` starts from the source model', () => {
    const recipe = recipeFixture({ steps: [{ id: 'a', uses: 'optimize', with: {} }, { id: 'b', uses: 'quantize', needs: [], with: {} }] });
    const b = planRecipe(recipe, stubPlugins).tasks.find((t) => t.step === 'b')!;
    expect(b.deps).toEqual([]);
    expect(b.modelFrom).toBeUndefined();
  });

  it('chains steps in list order when `needs` is absent and adds baseline and final benchmarks', () => {
    const { tasks, plan } = planRecipe(recipeFixture(), stubPlugins);
    expect(tasks.map((t) => t.id)).toEqual(['r1:baseline', 'r1:opt', 'r1:q', 'r1:final']);
    const q = tasks.find((t) => t.step === 'q')!;
    expect(q.deps).toEqual(['r1:opt']);
    expect(q.modelFrom).toBe('r1:opt');
    expect(tasks.find((t) => t.step === 'opt')!.modelFrom).toBeUndefined();
    expect(plan.finalModelFrom).toBe('r1:q');
    expect(tasks.at(-1)!.modelFrom).toBe('r1:q');
    expect(tasks[0]!.modelFrom).toBeUndefined();
  });

  it('takes the model from the nearest model-producing ancestor, passing through metric steps', () => {
    const recipe = recipeFixture({
      steps: [
        { id: 'a', uses: 'optimize', needs: [], with: {} },
        { id: 'probe', uses: 'exec', needs: ['a'], with: { run: ['true'] } },
        { id: 'b', uses: 'quantize', needs: ['probe'], with: {} },
      ],
    });
    const { tasks, plan } = planRecipe(recipe, stubPlugins);
    expect(tasks.find((t) => t.step === 'probe')!.produces).toBe('metrics');
    expect(tasks.find((t) => t.step === 'b')!.modelFrom).toBe('r1:a');
    expect(plan.finalModelFrom).toBe('r1:b');
  });

  it('orders steps topologically even when listed out of order', () => {
    const recipe = recipeFixture({
      steps: [
        { id: 'late', uses: 'quantize', needs: ['early'], with: {} },
        { id: 'early', uses: 'optimize', needs: [], with: {} }, // explicit []: starts from the source model
      ],
    });
    const ids = planRecipe(recipe, stubPlugins).tasks.map((t) => t.step);
    expect(ids.indexOf('early')).toBeLessThan(ids.indexOf('late'));
  });

  it('rejects a needs cycle', () => {
    const recipe = recipeFixture({
      steps: [
        { id: 'a', uses: 'optimize', needs: ['b'], with: {} },
        { id: 'b', uses: 'optimize', needs: ['a'], with: {} },
      ],
    });
    expect(() => planRecipe(recipe, stubPlugins)).toThrowError(EdgeoptError);
  });

  it('with no model-changing step, the final benchmark measures the source model', () => {
    const { plan, tasks } = planRecipe(recipeFixture({ steps: [] }), stubPlugins);
    expect(plan.finalModelFrom).toBeUndefined();
    expect(tasks.map((t) => t.step)).toEqual(['baseline', 'final']);
  });

  it('--only selects a step and its ancestors', () => {
    const plan = planRecipes([recipeFixture()], stubPlugins);
    expect([...ancestorsOf(plan, 'r1:q')].sort()).toEqual(['r1:opt', 'r1:q']);
  });
});

describe('implicit evaluation tasks', () => {
  const withEvaluate = new Map([...stubPlugins, ['evaluate', { ...stubPlugins.get('benchmark')!, name: 'evaluate', dataInputs: ['eval' as const] }]]);

  it('none without eval data or an accuracy/fidelity SLO', () => {
    expect(planRecipe(recipeFixture(), withEvaluate).plan.evalFinal).toBeUndefined();
  });

  it('a fidelity SLO adds an eval of the final model against the source model', () => {
    const { tasks, plan } = planRecipe(recipeFixture({ slo: { 'fidelity.cosine': { min: 0.99 } } }), withEvaluate);
    const ev = tasks.find((t) => t.id === plan.evalFinal)!;
    expect(ev.reference).toBe('source');
    expect(ev.modelFrom).toBe('r1:q');
    expect(plan.evalBaseline).toBeUndefined();
  });

  it('labelled eval data also evaluates the baseline, for max_drop', () => {
    const recipe = recipeFixture({ data: { eval: { source: '/proj/data/eval', labels: '/proj/data/eval/labels.npy', samples: 8, metric: 'top1' } } });
    const { tasks, plan } = planRecipe(recipe, withEvaluate);
    const base = tasks.find((t) => t.id === plan.evalBaseline)!;
    expect(base.modelFrom).toBeUndefined();
    expect(base.params).toEqual({ metric: 'top1' });
  });

  it('how labels are scored (metric, output, threshold) is in the params, so it keys the cache', () => {
    const recipe = recipeFixture({ data: { eval: { source: '/proj/data/eval', labels: '/proj/data/eval/labels.npy', output: 'p', threshold: 0 } } });
    const { tasks, plan } = planRecipe(recipe, withEvaluate);
    expect(tasks.find((t) => t.id === plan.evalBaseline)!.params).toEqual({ output: 'p', threshold: 0 });
    expect(tasks.find((t) => t.id === plan.evalFinal)!.params).toEqual({ output: 'p', threshold: 0 });
  });
});
