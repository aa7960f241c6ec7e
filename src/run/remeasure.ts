// The gate of each recipe, re-measuring the benchmarks behind verdicts that are within the noise (bounded retries).
import type { Plan, RecipePlan, Task } from '../plan/task-graph.js';
import type { Recipe } from '../recipe/types.js';
import { remeasureNeeds } from '../gate/noise-aware.js';
import { recipeGate, type RecipeGate } from '../gate/recipe-gate.js';
import { executePlan, recipeFailed, type ExecuteOptions, type TaskOutcome } from './executor.js';
import type { BuildEnv } from './run-task.js';

export interface GateRun {
  gate: RecipeGate;
  /** every measurement of the final model and of the baseline, the plan's own task first */
  final: TaskOutcome[];
  baseline: TaskOutcome[];
  warnings: string[];
}

interface RecipeState extends GateRun {
  recipe: Recipe;
  plan: RecipePlan;
  outcomes: ReadonlyMap<string, TaskOutcome>;
  retriesLeft: number;
}

/**
 * Measurement n (2, 3, …) of a benchmark task: a fresh child process on input data of seed n − 1, and its own cache
 * entry (the seed is a param, so part of the key). The plan's task stays what one run measured; a no-op rebuild
 * finds the same re-measurements in the cache and reaches the same verdict.
 */
function remeasureTask(task: Task, n: number): Task {
  return { ...task, id: `${task.id}#${n}`, params: { ...task.params, seed: n - 1 }, deps: [] };
}

const ran = (o: TaskOutcome | undefined): TaskOutcome[] => (o?.run ? [o] : []);

function judge(s: RecipeState): RecipeGate {
  const metrics = (list: TaskOutcome[]): Array<Record<string, unknown> | undefined> => list.map((o) => o.run?.record.metrics);
  const evalOf = (id: string | undefined): Record<string, unknown> | undefined => (id ? s.outcomes.get(id)?.run?.record.metrics : undefined);
  const failed = recipeFailed([...s.outcomes.values()].filter((o) => o.task.recipe === s.recipe.name));
  return recipeGate({
    slo: failed ? {} : s.recipe.slo, locations: s.recipe.locations, confidence: s.recipe.gate.confidence,
    final: metrics(s.final), baseline: metrics(s.baseline), evalFinal: evalOf(s.plan.evalFinal), evalBaseline: evalOf(s.plan.evalBaseline),
  });
}

/**
 * Judges every recipe; while a verdict needs it (marginal, or a fail resting on one measurement: see
 * needsRemeasure) and retries are left, measures again and judges all measurements together (see bootstrap.ts: the interval resamples whole measurements, so disagreeing processes
 * widen it). Pooled, not judged on the fresh run alone: the latest run alone would make the verdict the last of
 * several coin tosses and throw the earlier evidence away; pooling narrows the interval only as far as the
 * measurements agree. Re-measurements of all recipes in a round run as one plan (measurements one at a time).
 */
export async function gateRecipes(
  plan: Plan, recipes: ReadonlyMap<string, Recipe>, outcomes: ReadonlyMap<string, TaskOutcome>, env: BuildEnv, opts: ExecuteOptions,
): Promise<Map<string, GateRun>> {
  const states = plan.recipes.map((rp): RecipeState => {
    const recipe = recipes.get(rp.recipe)!;
    const s: RecipeState = {
      recipe, plan: rp, outcomes, retriesLeft: recipe.gate.retries, warnings: [],
      final: ran(outcomes.get(rp.final)), baseline: ran(outcomes.get(rp.baseline)), gate: { verdicts: [], final: {}, baseline: {} },
    };
    s.gate = judge(s);
    return s;
  });
  for (;;) {
    const round: Array<{ state: RecipeState; tasks: Task[] }> = [];
    for (const s of states) {
      const need = remeasureNeeds(s.gate.verdicts);
      if (s.retriesLeft === 0 || !need.final || s.final.length === 0) continue;
      s.retriesLeft--;
      const tasks = [remeasureTask(s.final[0]!.task, s.final.length + 1)];
      if (need.baseline && s.baseline.length > 0) tasks.push(remeasureTask(s.baseline[0]!.task, s.baseline.length + 1));
      round.push({ state: s, tasks });
    }
    if (round.length === 0 || env.signal.aborted) break;
    const more = await executePlan({ tasks: round.flatMap((r) => r.tasks), recipes: [] }, recipes, env, { ...opts, done: outcomes });
    if (env.signal.aborted) break;
    for (const { state, tasks } of round) absorb(state, tasks.map((t) => more.get(t.id)!));
  }
  return new Map(states.map((s) => [s.recipe.name, { gate: s.gate, final: s.final, baseline: s.baseline, warnings: s.warnings }]));
}

function absorb(s: RecipeState, done: TaskOutcome[]): void {
  for (const o of done) {
    if (!o.run) {
      // the verdicts stand on the measurements that did succeed, and say they are within the noise
      s.warnings.push(`re-measurement ${o.task.id} did not complete (${o.error?.message ?? o.reason ?? o.status}); the gate judged the earlier measurements`);
      s.retriesLeft = 0;
      continue;
    }
    (o.task.kind === 'baseline' ? s.baseline : s.final).push(o);
  }
  s.gate = judge(s);
}
