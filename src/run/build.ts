// `edgeopt build`: plan the recipes, hash their inputs, execute, gate, and write each recipe's outputs.
import path from 'node:path';
import type { Plugin } from '../api.js';
import { HashMemo } from '../cache/hash-memo.js';
import type { BlobRef, Store } from '../cache/store.js';
import { EdgeoptError } from '../errors.js';
import { ancestorsOf, planRecipes, type Plan } from '../plan/task-graph.js';
import type { Recipe } from '../recipe/types.js';
import { buildReport } from '../report/build-report.js';
import type { Report } from '../report/report-schema.js';
import { writeRecipeOutputs } from '../report/write-outputs.js';
import { engineVersions } from './engine-versions.js';
import { executePlan, type TaskOutcome } from './executor.js';
import { hashesOnly, hashInputs } from './input-hashes.js';
import { gateRecipes, type GateRun } from './remeasure.js';
import { modelOutput } from './run-task.js';
import { TaskHistory } from './task-history.js';

export interface BuildRequest {
  recipes: Recipe[];
  plugins: ReadonlyMap<string, Plugin>;
  store: Store;
  outRoot: string;
  force: boolean;
  only?: string;
  concurrency: number;
  renderer: 'default' | 'simple' | 'silent';
  signal: AbortSignal;
}

export interface RecipeResult {
  recipe: Recipe;
  /** undefined with --only (no gate runs) */
  report?: Report;
  outDir?: string;
  outcomes: TaskOutcome[];
}

export async function build(req: BuildRequest): Promise<RecipeResult[]> {
  const plan = planRecipes(req.recipes, req.plugins);
  const only = req.only ? selectOnly(plan, req.recipes, req.only) : undefined;
  const memo = await HashMemo.open(path.join(req.store.root, 'hash-memo.json'));
  const history = await TaskHistory.open(req.store.root);
  const inputs = await hashInputs(req.recipes, plan, memo);
  const env = { store: req.store, inputs, pathHashes: hashesOnly(inputs), versions: engineVersions(), plugins: req.plugins, history, force: req.force, signal: req.signal };
  const recipes = new Map(req.recipes.map((r) => [r.name, r]));
  let outcomes: Map<string, TaskOutcome>;
  let gates = new Map<string, GateRun>();
  try {
    const exec = { concurrency: req.concurrency, renderer: req.renderer };
    outcomes = await executePlan(plan, recipes, env, { ...exec, ...(only ? { only } : {}) });
    if (!only && !req.signal.aborted) gates = await gateRecipes(plan, recipes, outcomes, env, exec);
  } finally {
    await memo.save();
    await history.save();
  }
  const results: RecipeResult[] = [];
  for (const rp of plan.recipes) {
    const recipe = recipes.get(rp.recipe)!;
    const mine = [...outcomes.values()].filter((o) => o.task.recipe === recipe.name);
    const gate = gates.get(recipe.name);
    if (only || req.signal.aborted || !gate) {
      results.push({ recipe, outcomes: mine });
      continue;
    }
    const source = inputs.get(recipe.model.path)!;
    const modelName = recipe.target.format === 'ort' ? 'model.ort' : 'model.onnx';
    const finalPath = path.relative(recipe.projectRoot, path.join(req.outRoot, recipe.name, modelName));
    const report = buildReport({ recipe, plan: rp, outcomes, gate, versions: env.versions, source, finalPath });
    const finalRecord = rp.finalModelFrom ? outcomes.get(rp.finalModelFrom)?.run?.record : undefined;
    const files = report.status === 'error' ? {} : finalRecord ? { model: renamedModel(finalRecord.outputs, modelOutput(finalRecord)?.entry, modelName) } : { sourceModel: recipe.model.path };
    const outDir = await writeRecipeOutputs(req.outRoot, report, { ...files, modelName }, req.store);
    results.push({ recipe, report, outDir, outcomes: mine });
  }
  return results;
}

/** The model file gets the conventional name in the output folder; side files (external data) keep theirs. */
function renamedModel(outputs: Record<string, BlobRef>, entry: string | undefined, modelName: string): Record<string, BlobRef> {
  const out: Record<string, BlobRef> = {};
  for (const [name, blob] of Object.entries(outputs)) out[name === entry ? modelName : name] = blob;
  return out;
}

function selectOnly(plan: Plan, recipes: Recipe[], step: string): Set<string> {
  const keep = new Set<string>();
  for (const r of recipes) {
    const id = `${r.name}:${step}`;
    if (plan.tasks.some((t) => t.id === id)) for (const a of ancestorsOf(plan, id)) keep.add(a);
  }
  if (keep.size === 0) {
    const steps = [...new Set(plan.tasks.map((t) => t.step))].join(', ');
    throw new EdgeoptError({ code: 'E_USAGE', kind: 'usage', message: `--only ${step}: no recipe has a step with that id`, hint: `steps in these recipes: ${steps}` });
  }
  return keep;
}
