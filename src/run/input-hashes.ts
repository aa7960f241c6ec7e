// Content hashes of everything the planned tasks read from the project: source models (with their external
// data), datasets and declared files. Computed once per command, before anything runs.
import type { HashMemo } from '../cache/hash-memo.js';
import { pathsToHash } from '../plan/cache-key.js';
import type { Plan } from '../plan/task-graph.js';
import type { Recipe } from '../recipe/types.js';
import { isExternal, readModel, forEachTensor } from '../onnx/index.js';

export interface ContentHash {
  hash: string;
  size: number;
}

/** External data files an ONNX model names (relative to its folder); none for a file that is not ONNX protobuf. */
async function externalDataFiles(model: string): Promise<string[]> {
  try {
    const proto = await readModel(model, { externalData: 'keep' });
    const files: string[] = [];
    forEachTensor(proto, (t) => {
      const location = isExternal(t) ? t.external_data?.find((e) => e.key === 'location')?.value : undefined;
      if (location) files.push(location);
    });
    return files;
  } catch {
    return []; // an .ort file or a corrupt model: the benchmark step reports what is wrong with it
  }
}

export async function hashInputs(recipes: Recipe[], plan: Plan, memo: HashMemo): Promise<Map<string, ContentHash>> {
  const out = new Map<string, ContentHash>();
  for (const recipe of recipes) {
    for (const p of pathsToHash(recipe, plan.tasks.filter((t) => t.recipe === recipe.name))) {
      if (out.has(p)) continue;
      out.set(p, p === recipe.model.path ? await memo.hashWithSideFiles(p, externalDataFiles) : await memo.hashPath(p));
    }
  }
  return out;
}

/** Just the hashes, as cache keys want them. */
export function hashesOnly(hashes: ReadonlyMap<string, ContentHash>): Map<string, string> {
  return new Map([...hashes].map(([p, h]) => [p, h.hash]));
}
