// Recipes → a DAG of tasks: the recipe's steps plus the implicit baseline and final benchmarks. Pure.
import path from 'node:path';
import type { Plugin } from '../api.js';
import { EdgeoptError } from '../errors.js';
import type { Recipe } from '../recipe/types.js';

export type TaskKind = 'step' | 'baseline' | 'final' | 'eval-baseline' | 'eval-final';

export interface Task {
  /** `<recipe>:<step>` */
  id: string;
  recipe: string;
  step: string;
  kind: TaskKind;
  plugin: string;
  params: Record<string, unknown>;
  produces: 'model' | 'metrics';
  /** the task whose `model` output this task works on; undefined: the recipe's source model */
  modelFrom?: string;
  /** tasks that must finish first */
  deps: string[];
  dataInputs: Array<'calibration' | 'eval'>;
  /** absolute paths of extra files the task reads */
  fileInputs: string[];
  /** the task also reads the recipe's source model as `ctx.inputs.reference` (fidelity against the float model) */
  reference?: 'source';
  /** the step's `timeout_s`, in ms: longer than this and its run is stopped (not part of the cache key) */
  timeoutMs?: number;
}

export interface RecipePlan {
  recipe: string;
  baseline: string;
  final: string;
  /** evaluation tasks, present when the recipe has eval data or an accuracy/fidelity SLO */
  evalBaseline?: string;
  evalFinal?: string;
  /** the task producing the final model; undefined when no step changes the model */
  finalModelFrom?: string;
}

export interface Plan {
  /** in a topological order */
  tasks: Task[];
  recipes: RecipePlan[];
}

export function producesOf(plugin: Plugin, params: Record<string, unknown>): 'model' | 'metrics' {
  return typeof plugin.produces === 'function' ? plugin.produces(params) : plugin.produces;
}

function dataInputsOf(plugin: Plugin, params: Record<string, unknown>): Array<'calibration' | 'eval'> {
  return typeof plugin.dataInputs === 'function' ? plugin.dataInputs(params) : plugin.dataInputs ?? [];
}

function requirePlugin(plugins: ReadonlyMap<string, Plugin>, name: string, recipe: Recipe): Plugin {
  const plugin = plugins.get(name);
  if (!plugin) {
    throw new EdgeoptError({ code: 'E_UNKNOWN_PLUGIN', message: `${recipe.file}: no plugin named "${name}" is registered` });
  }
  return plugin;
}

/** The model a task works on: its nearest model-producing ancestor among `needs`, searched last-listed first. */
function modelSource(needs: string[], byStep: Map<string, Task>): string | undefined {
  for (let i = needs.length - 1; i >= 0; i--) {
    const dep = byStep.get(needs[i]!);
    if (!dep) continue;
    if (dep.produces === 'model') return dep.id;
    if (dep.modelFrom) return dep.modelFrom;
  }
  return undefined;
}

export function planRecipe(recipe: Recipe, plugins: ReadonlyMap<string, Plugin>): { tasks: Task[]; plan: RecipePlan } {
  const byStep = new Map<string, Task>();
  const steps: Task[] = [];
  recipe.steps.forEach((step, index) => {
    const plugin = requirePlugin(plugins, step.uses, recipe);
    // no `needs`: the step follows the one listed before it
    const needs = step.needs ?? (index === 0 ? [] : [recipe.steps[index - 1]!.id]);
    const task: Task = {
      id: `${recipe.name}:${step.id}`,
      recipe: recipe.name,
      step: step.id,
      kind: 'step',
      plugin: plugin.name,
      params: step.with,
      produces: producesOf(plugin, step.with),
      deps: needs.map((n) => `${recipe.name}:${n}`),
      dataInputs: dataInputsOf(plugin, step.with),
      fileInputs: (plugin.fileInputs?.(step.with) ?? []).map((f) => path.resolve(recipe.dir, f)),
      ...(step.timeout_s !== undefined ? { timeoutMs: step.timeout_s * 1000 } : {}),
    };
    byStep.set(step.id, task);
    steps.push(task);
  });
  const ordered = topoSort(steps, recipe);
  // in dependency order, so an ancestor's own model source is known before its dependents ask for it
  for (const task of ordered) {
    const from = modelSource(task.deps.map((d) => d.slice(recipe.name.length + 1)), byStep);
    if (from) task.modelFrom = from;
  }
  let finalModelFrom: string | undefined;
  for (const t of recipe.steps.map((s) => byStep.get(s.id)!)) if (t.produces === 'model') finalModelFrom = t.id;

  const benchParams = { ...recipe.benchmark };
  const baseline: Task = {
    id: `${recipe.name}:baseline`, recipe: recipe.name, step: 'baseline', kind: 'baseline', plugin: 'benchmark',
    params: benchParams, produces: 'metrics', deps: [], dataInputs: [], fileInputs: [],
  };
  const final: Task = {
    id: `${recipe.name}:final`, recipe: recipe.name, step: 'final', kind: 'final', plugin: 'benchmark',
    params: benchParams, produces: 'metrics', deps: ordered.map((t) => t.id), dataInputs: [], fileInputs: [],
  };
  if (finalModelFrom) final.modelFrom = finalModelFrom;
  const plan: RecipePlan = { recipe: recipe.name, baseline: baseline.id, final: final.id };
  if (finalModelFrom) plan.finalModelFrom = finalModelFrom;
  const evals = evaluationTasks(recipe, plugins, ordered, finalModelFrom);
  if (evals.baseline) plan.evalBaseline = evals.baseline.id;
  if (evals.final) plan.evalFinal = evals.final.id;
  const tail = [evals.baseline, evals.final].filter((t): t is Task => t !== undefined);
  return { tasks: [baseline, ...ordered, final, ...tail], plan };
}

/**
 * Implicit evaluation: with labelled eval data, the baseline is evaluated too (for `max_drop`); the final model is
 * always evaluated against the source model (fidelity). Added only when eval data or an accuracy/fidelity SLO exists.
 */
function evaluationTasks(recipe: Recipe, plugins: ReadonlyMap<string, Plugin>, steps: Task[], finalModelFrom: string | undefined): { baseline?: Task; final?: Task } {
  const wanted = recipe.data.eval !== undefined || Object.keys(recipe.slo).some((m) => m.startsWith('accuracy.') || m.startsWith('fidelity.'));
  if (!wanted || !plugins.has('evaluate')) return {};
  // how the labels are scored is the plugin's params (so it is part of the cache key); the rest is data identity
  const ev = recipe.data.eval;
  const params = {
    ...(ev?.metric ? { metric: ev.metric } : {}),
    ...(ev?.output ? { output: ev.output } : {}),
    ...(ev?.threshold !== undefined ? { threshold: ev.threshold } : {}),
  };
  const common = { recipe: recipe.name, plugin: 'evaluate', params, produces: 'metrics' as const, dataInputs: ['eval' as const], fileInputs: [] };
  const final: Task = {
    ...common, id: `${recipe.name}:eval-final`, step: 'eval-final', kind: 'eval-final', deps: steps.map((t) => t.id), reference: 'source',
  };
  if (finalModelFrom) final.modelFrom = finalModelFrom;
  if (!recipe.data.eval?.labels) return { final };
  const baseline: Task = { ...common, id: `${recipe.name}:eval-baseline`, step: 'eval-baseline', kind: 'eval-baseline', deps: [] };
  return { baseline, final };
}

export function planRecipes(recipes: Recipe[], plugins: ReadonlyMap<string, Plugin>): Plan {
  const plan: Plan = { tasks: [], recipes: [] };
  for (const recipe of recipes) {
    const r = planRecipe(recipe, plugins);
    plan.tasks.push(...r.tasks);
    plan.recipes.push(r.plan);
  }
  return plan;
}

/** Kahn's algorithm, stable in list order; a cycle is an error naming it (the loader reports it with a place first). */
export function topoSort(tasks: Task[], recipe: Recipe): Task[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const indegree = new Map(tasks.map((t) => [t.id, t.deps.filter((d) => byId.has(d)).length]));
  const out: Task[] = [];
  const ready = tasks.filter((t) => indegree.get(t.id) === 0);
  while (ready.length > 0) {
    const t = ready.shift()!;
    out.push(t);
    for (const other of tasks) {
      if (!other.deps.includes(t.id)) continue;
      const n = indegree.get(other.id)! - 1;
      indegree.set(other.id, n);
      if (n === 0) ready.push(other);
    }
  }
  if (out.length !== tasks.length) {
    const stuck = tasks.filter((t) => !out.includes(t)).map((t) => t.step);
    throw new EdgeoptError({
      code: 'E_NEEDS_CYCLE',
      message: `${recipe.file}: steps ${stuck.join(', ')} need each other in a cycle`,
      hint: 'remove one of the `needs` entries so the steps form a chain',
    });
  }
  return out;
}

/** The tasks `only` needs (itself and its ancestors), for `--only <step>`. */
export function ancestorsOf(plan: Plan, taskId: string): Set<string> {
  const byId = new Map(plan.tasks.map((t) => [t.id, t]));
  const keep = new Set<string>();
  const visit = (id: string): void => {
    if (keep.has(id)) return;
    keep.add(id);
    const t = byId.get(id);
    for (const d of t?.deps ?? []) visit(d);
    if (t?.modelFrom) visit(t.modelFrom);
  };
  visit(taskId);
  return keep;
}
