// Runs one task: find its inputs, look its key up in the cache, else run the plugin and commit what it made.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger, Plugin, StepContext, StepOutput } from '../api.js';
import type { ActionRecord, BlobRef, Store } from '../cache/store.js';
import { EdgeoptError } from '../errors.js';
import { changedInputs, taskKey, type EngineVersions } from '../plan/cache-key.js';
import type { Task } from '../plan/task-graph.js';
import type { Recipe } from '../recipe/types.js';
import type { ContentHash } from './input-hashes.js';
import { materialize } from './materialize.js';
import { callPlugin } from './plugin-call.js';
import type { TaskHistory } from './task-history.js';

/** The model a task reads: the recipe's own file, or files another task stored. */
export interface ModelInput {
  hash: string;
  size: number;
  sourcePath?: string;
  files?: Record<string, BlobRef>;
  entry?: string;
}

export interface BuildEnv {
  store: Store;
  /** content hashes (and sizes) of the project files the tasks read, by absolute path */
  inputs: ReadonlyMap<string, ContentHash>;
  versions: EngineVersions;
  plugins: ReadonlyMap<string, Plugin>;
  pathHashes: ReadonlyMap<string, string>;
  history: TaskHistory;
  force: boolean;
  signal: AbortSignal;
}

export interface TaskRun {
  status: 'built' | 'cached';
  key: string;
  record: ActionRecord;
  /** key inputs that changed since the task's last build (empty when unknown or first build) */
  changed: string[];
}

export interface TaskIo {
  log: Logger;
  progress(fraction: number, message?: string): void;
}

export function modelOutput(record: ActionRecord): ModelInput | undefined {
  const entry = record.roles.model;
  const blob = entry ? record.outputs[entry] : undefined;
  if (!entry || !blob) return undefined;
  return { hash: blob.hash, size: blob.size, files: record.outputs, entry };
}

export async function runTask(task: Task, recipe: Recipe, model: ModelInput, env: BuildEnv, io: TaskIo): Promise<TaskRun> {
  const plugin = env.plugins.get(task.plugin)!;
  const { key, inputs } = taskKey(task, recipe, env.versions, plugin.version, { model: model.hash, paths: env.pathHashes });
  const previous = env.history.last(task.id);
  const changed = previous ? changedInputs(previous, inputs) : [];
  env.history.record(task.id, inputs);
  if (!env.force) {
    const hit = await env.store.getAction(key);
    if (hit) return { status: 'cached', key, record: hit, changed: [] };
  }
  const work = await env.store.makeTempDir(`${task.recipe}-${task.step}`);
  try {
    const outDir = path.join(work, 'out');
    await fs.mkdir(outDir);
    const modelPath = model.sourcePath
      ?? path.join(await materialize(env.store, model.files ?? {}, path.join(work, 'in')), model.entry ?? 'model.onnx');
    const ctx: StepContext = {
      recipe: { name: recipe.name, file: recipe.file, dir: recipe.dir, projectRoot: recipe.projectRoot },
      stepId: task.step,
      inputs: {
        model: { path: modelPath, hash: model.hash, size: model.size },
        ...(task.reference ? { reference: artifactOf(sourceModel(recipe, env.inputs)) } : {}),
      },
      modelInputs: recipe.model.inputs,
      data: recipe.data,
      target: recipe.target,
      tmpDir: outDir,
      log: io.log,
      progress: io.progress,
      signal: task.timeoutMs === undefined ? env.signal : AbortSignal.any([env.signal, AbortSignal.timeout(task.timeoutMs)]),
    };
    const started = performance.now();
    const output = await callPlugin(plugin, ctx, task, work, env.signal);
    const durationMs = performance.now() - started;
    const record = await commitOutputs(task, plugin, key, inputs, output, outDir, durationMs, env.store);
    return { status: 'built', key, record, changed };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function commitOutputs(
  task: Task, plugin: Plugin, key: string, keyInputs: Record<string, unknown>, output: StepOutput, outDir: string,
  durationMs: number, store: Store,
): Promise<ActionRecord> {
  const roles: Record<string, string> = {};
  const outputs: Record<string, BlobRef> = {};
  for (const [role, file] of Object.entries(output.files)) {
    const rel = path.relative(outDir, path.resolve(outDir, file));
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new EdgeoptError({
        code: 'E_PLUGIN_OUTPUT', kind: 'step',
        message: `plugin ${plugin.name} returned output "${role}" at ${file}, outside its output folder ${outDir}`,
        hint: 'a plugin must write its outputs inside ctx.tmpDir',
      });
    }
    roles[role] = rel;
  }
  if (task.produces === 'model' && !roles.model) {
    throw new EdgeoptError({
      code: 'E_PLUGIN_OUTPUT', kind: 'step',
      message: `plugin ${plugin.name} produces a model but its step "${task.step}" returned no \`model\` file`,
    });
  }
  // every file the plugin left in its folder is kept, so side files (external data) travel with the model
  for (const rel of await listFiles(outDir)) outputs[rel] = await store.putBlob(path.join(outDir, rel));
  for (const [role, rel] of Object.entries(roles)) {
    if (!outputs[rel]) {
      throw new EdgeoptError({ code: 'E_PLUGIN_OUTPUT', kind: 'step', message: `plugin ${plugin.name} named output "${role}" (${rel}) but did not write it` });
    }
  }
  const record: ActionRecord = {
    key, task: task.id, plugin: plugin.name, pluginVersion: plugin.version, outputs, roles,
    durationMs, createdAt: new Date().toISOString(), keyInputs,
  };
  if (output.metrics) record.metrics = output.metrics;
  if (output.warnings?.length) record.warnings = output.warnings;
  await store.putAction(record);
  return record;
}

async function listFiles(dir: string, sub = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(path.join(dir, sub), { withFileTypes: true })) {
    const rel = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

function artifactOf(m: ModelInput & { sourcePath: string }): { path: string; hash: string; size: number } {
  return { path: m.sourcePath, hash: m.hash, size: m.size };
}

/** The recipe's own model as a task input (its hash covers its external data files too). */
export function sourceModel(recipe: Recipe, inputs: ReadonlyMap<string, ContentHash>): ModelInput & { sourcePath: string } {
  const h = inputs.get(recipe.model.path);
  if (!h) throw new Error(`internal: the source model ${recipe.model.path} was not hashed`);
  return { hash: h.hash, size: h.size, sourcePath: recipe.model.path };
}
