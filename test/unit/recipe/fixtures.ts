// Shared test scaffolding: temp projects written from a file map, and a stub plugin registry with real param schemas.
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from '../../../src/api.js';
import { EdgeoptErrors, type EdgeoptError } from '../../../src/errors.js';
import { loadRecipes } from '../../../src/recipe/index.js';
import { DataType, encodeModel } from '../../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';

/** A real one-node ONNX model (x → Relu → y): recipe validation checks that a model file is one. */
export const MODEL: Uint8Array = encodeModel(makeModel({
  nodes: [makeNode('Relu', ['x'], ['y'])],
  inputs: [tensorValueInfo('x', DataType.FLOAT, [1, 4])],
  outputs: [tensorValueInfo('y', DataType.FLOAT, [1, 4])],
}));

export interface TempProject {
  root: string;
  path(rel: string): string;
  write(files: Record<string, string | Uint8Array>): Promise<void>;
  link(rel: string, target: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** A fresh folder; keys ending in '/' make folders, others files with that text or those bytes. */
export async function tempProject(files: Record<string, string | Uint8Array> = {}): Promise<TempProject> {
  const root = await realpath(await mkdtemp(join(tmpdir(), 'edgeopt-recipe-')));
  const project: TempProject = {
    root,
    path: (rel) => join(root, rel),
    async write(more) {
      for (const [rel, text] of Object.entries(more)) {
        const abs = join(root, rel);
        if (rel.endsWith('/')) await mkdir(abs, { recursive: true });
        else {
          await mkdir(dirname(abs), { recursive: true });
          await writeFile(abs, text);
        }
      }
    },
    async link(rel, target) {
      await mkdir(dirname(join(root, rel)), { recursive: true });
      await symlink(target, join(root, rel));
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
  await project.write(files);
  return project;
}

/** A model with the inputs the contract recipe pins: `input` [batch, samples] float and `sr` int64 scalar. */
export const VAD_MODEL: Uint8Array = encodeModel(makeModel({
  nodes: [makeNode('Relu', ['input'], ['output'])],
  inputs: [tensorValueInfo('input', DataType.FLOAT, ['batch', 'samples']), tensorValueInfo('sr', DataType.INT64, [])],
  outputs: [tensorValueInfo('output', DataType.FLOAT, ['batch', 'samples'])],
}));

/** The files the contract recipe in ARCHITECTURE.md names. */
export const CONTRACT_FILES: Record<string, string | Uint8Array> = {
  'models/silero_vad.onnx': VAD_MODEL,
  'data/calib/': '',
  'data/eval/labels.npy': 'npy',
};

/** The recipe from ARCHITECTURE.md, verbatim: the contract that must keep loading. */
export const CONTRACT_RECIPE = readFileSync(fileURLToPath(new URL('../../fixtures/recipes/contract.yaml', import.meta.url)), 'utf8');

function stub(name: string, params: Record<string, unknown>, extra: Partial<Plugin> = {}): Plugin {
  return {
    name, version: '1.0.0', params, produces: 'model',
    run: () => Promise.reject(new Error('stub plugins do not run')),
    ...extra,
  };
}

const quantizeParams = {
  type: 'object',
  additionalProperties: false,
  required: ['precision'],
  properties: {
    precision: { enum: ['int8', 'uint8', 'int4', 'fp16'] },
    mode: { enum: ['static', 'dynamic'] },
    format: { enum: ['qdq', 'qoperator'] },
    per_channel: { type: 'boolean' },
    calibration: {
      type: 'object',
      additionalProperties: false,
      properties: { method: { enum: ['minmax', 'entropy', 'percentile'] }, percentile: { type: 'number', minimum: 90, maximum: 100 } },
    },
    exclude: {
      type: 'object',
      additionalProperties: false,
      properties: { ops: { type: 'array', items: { type: 'string' } }, nodes: { type: 'array', items: { type: 'string' } } },
    },
  },
};

/** optimize, quantize (with a check()), benchmark (metrics), and tables (reads a file named in its params). */
export function stubPlugins(): Map<string, Plugin> {
  const plugins: Plugin[] = [
    stub('optimize', { type: 'object', additionalProperties: false, properties: { level: { enum: ['basic', 'extended', 'all'] } } }),
    stub('quantize', quantizeParams, {
      check: (p) => {
        const cal = p['calibration'] as { method?: string; percentile?: number } | undefined;
        return cal?.percentile !== undefined && cal.method !== 'percentile'
          ? [{ pointer: '/calibration/percentile', message: 'percentile only applies to method: percentile', hint: 'set method: percentile' }]
          : [];
      },
    }),
    stub('benchmark', { type: 'object', additionalProperties: false, properties: {} }, { produces: 'metrics' }),
    stub('tables', { type: 'object', additionalProperties: false, properties: { file: { type: 'string' } } }, {
      fileInputs: (p) => (typeof p['file'] === 'string' ? [p['file']] : []),
    }),
  ];
  return new Map(plugins.map((p) => [p.name, p]));
}

/** The errors a promise rejects with (fails the test if it resolves or throws something else). */
export async function errorsOf(promise: Promise<unknown>): Promise<EdgeoptError[]> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof EdgeoptErrors) return e.errors;
    throw e;
  }
  throw new Error('expected EdgeoptErrors, but it resolved');
}

/** "file:line:col CODE" for compact assertions; the file is relative to `root`. */
export function brief(e: EdgeoptError, root: string): string {
  const l = e.location;
  return l ? `${l.file.startsWith(root) ? l.file.slice(root.length + 1) : l.file}:${l.line}:${l.column} ${e.code}` : `- ${e.code}`;
}

/** Writes `text` as `file` in `project` and loads it: each error as "file:line:col CODE", its message and hint. */
export async function recipeErrors(project: TempProject, text: string, file = 'r.yaml'): Promise<Array<{ at: string; message: string; hint?: string }>> {
  await project.write({ [file]: text });
  const errors = await errorsOf(loadRecipes([project.path(file)], { projectRoot: project.root, plugins: stubPlugins() }));
  return errors.map((e) => ({ at: brief(e, project.root), message: e.message, ...(e.hint ? { hint: e.hint } : {}) }));
}
