// A task's cache key: hash of plugin name+version, canonical params, input content hashes, engine, ORT and target.
import path from 'node:path';
import { hashOf } from '../cache/canonical-json.js';
import type { Recipe } from '../recipe/types.js';
import type { Task } from './task-graph.js';

export interface EngineVersions {
  edgeopt: string;
  onnxruntime: string;
}

/** Content hashes the key needs, already computed by the caller (the planner does no I/O). */
export interface KeyInputHashes {
  /** hash of the model the task works on */
  model: string;
  /** absolute path (file or folder) → content hash */
  paths: ReadonlyMap<string, string>;
}

export interface TaskKey {
  key: string;
  inputs: Record<string, unknown>;
}

function datasetIdentity(recipe: Recipe, which: 'calibration' | 'eval', paths: ReadonlyMap<string, string>): unknown {
  const ds = recipe.data[which];
  if (!ds) return null;
  const hashFor = (p: string | undefined): string | null => (p ? (paths.get(p) ?? missing(p)) : null);
  return {
    source: hashFor(ds.source),
    labels: hashFor(ds.labels),
    seed: ds.seed ?? null,
    samples: ds.samples,
    metric: ds.metric ?? null,
  };
}

function missing(p: string): never {
  throw new Error(`internal: no content hash was computed for ${p}`);
}

export function taskKey(task: Task, recipe: Recipe, versions: EngineVersions, pluginVersion: string, hashes: KeyInputHashes): TaskKey {
  const inputs: Record<string, unknown> = {
    plugin: { name: task.plugin, version: pluginVersion },
    params: task.params,
    model: hashes.model,
    modelInputs: recipe.model.inputs,
    engine: versions.edgeopt,
    onnxruntime: versions.onnxruntime,
    ep: recipe.target.ep,
    format: recipe.target.format,
  };
  // measurements depend on threads; model transforms do not
  if (task.produces === 'metrics') inputs.threads = recipe.target.threads;
  if (task.reference) inputs.reference = hashes.paths.get(recipe.model.path) ?? missing(recipe.model.path);
  for (const which of task.dataInputs) inputs[`data.${which}`] = datasetIdentity(recipe, which, hashes.paths);
  if (task.fileInputs.length > 0) {
    inputs.files = Object.fromEntries(
      task.fileInputs.map((f) => [path.relative(recipe.dir, f), hashes.paths.get(f) ?? missing(f)]),
    );
  }
  return { key: hashOf(inputs), inputs };
}

/** Which key inputs differ between the last build of a task and now ("params.precision", "model", ...). */
export function changedInputs(before: Record<string, unknown>, now: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(now)]);
  for (const k of [...keys].sort()) {
    const a = before[k];
    const b = now[k];
    const name = prefix ? `${prefix}.${k}` : k;
    if (isPlainObject(a) && isPlainObject(b)) out.push(...changedInputs(a, b, name));
    else if (hashOf(a ?? null) !== hashOf(b ?? null)) out.push(name);
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The absolute paths whose content a recipe's tasks depend on (models, datasets, declared files). */
export function pathsToHash(recipe: Recipe, tasks: Task[]): string[] {
  const out = new Set<string>([recipe.model.path]);
  for (const t of tasks) {
    for (const which of t.dataInputs) {
      const ds = recipe.data[which];
      if (ds?.source) out.add(ds.source);
      if (ds?.labels) out.add(ds.labels);
    }
    for (const f of t.fileInputs) out.add(f);
  }
  return [...out];
}
