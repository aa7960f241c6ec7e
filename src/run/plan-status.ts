// `edgeopt plan`: each task's key and whether it will hit the cache, computed without running anything.
import type { Plugin } from '../api.js';
import type { Store } from '../cache/store.js';
import { changedInputs, taskKey, type EngineVersions } from '../plan/cache-key.js';
import type { Plan } from '../plan/task-graph.js';
import type { Recipe } from '../recipe/types.js';
import { hashesOnly, type ContentHash } from './input-hashes.js';
import { modelOutput, sourceModel, type ModelInput } from './run-task.js';
import type { TaskHistory } from './task-history.js';

export interface TaskStatus {
  id: string;
  plugin: string;
  deps: string[];
  status: 'cached' | 'run';
  /** undefined when an input is not built yet, so the key cannot be known */
  key?: string;
  why: string;
  keyInputs?: Record<string, unknown>;
}

export async function planStatus(
  plan: Plan, recipes: ReadonlyMap<string, Recipe>, plugins: ReadonlyMap<string, Plugin>, store: Store,
  hashes: ReadonlyMap<string, ContentHash>, versions: EngineVersions, history: TaskHistory,
): Promise<TaskStatus[]> {
  const pathHashes = hashesOnly(hashes);
  const models = new Map<string, ModelInput | undefined>();
  const out: TaskStatus[] = [];
  for (const task of plan.tasks) {
    const recipe = recipes.get(task.recipe)!;
    const base = { id: task.id, plugin: task.plugin, deps: task.deps };
    let model: ModelInput | undefined;
    if (!task.modelFrom) model = sourceModel(recipe, hashes);
    else model = models.get(task.modelFrom);
    if (!model) {
      out.push({ ...base, status: 'run', why: `its model comes from ${task.modelFrom}, which is not built yet` });
      models.set(task.id, undefined);
      continue;
    }
    const { key, inputs } = taskKey(task, recipe, versions, plugins.get(task.plugin)!.version, { model: model.hash, paths: pathHashes });
    const hit = await store.getAction(key);
    if (hit) {
      out.push({ ...base, status: 'cached', key, why: `cached (built ${hit.createdAt})`, keyInputs: inputs });
      models.set(task.id, task.produces === 'model' ? modelOutput(hit) : model);
      continue;
    }
    const before = history.last(task.id);
    const changed = before ? changedInputs(before, inputs) : [];
    const why = !before ? 'never built' : changed.length ? `changed: ${changed.join(', ')}` : 'not in the cache (evicted or built elsewhere)';
    out.push({ ...base, status: 'run', key, why, keyInputs: inputs });
    models.set(task.id, undefined);
  }
  return out;
}
