// Checks the files a recipe names (model, data, labels, plugin file inputs), that a model file is one and takes the
// recipe's pins, and that each dataset has one input source.
import { dirname, resolve } from 'node:path';
import type { Plugin } from '../api.js';
import { EdgeoptError } from '../errors.js';
import { inspectModelFile } from '../onnx/index.js';
import { pluginValidate } from './ajv-instance.js';
import { isPlainObject, locate, type LocatedDoc } from './located-doc.js';
import { checkUserPath, linkOutside, type Root } from './paths.js';
import { displayPath, valueAt } from './pointer.js';
import { modelInputErrors } from './validate-model-inputs.js';

/** A path value resolved against the folder of the file it was written in (a preset's or config's value: theirs). */
export function resolveWritten(doc: LocatedDoc, pointer: string, recipeFile: string): string {
  const written = String(valueAt(doc.value, pointer));
  const from = locate(doc, pointer)?.file ?? recipeFile;
  return resolve(dirname(from), written);
}

interface PathSpec { pointer: string; expect: 'file' | 'dir'; what: string }

function pathSpecs(doc: LocatedDoc): PathSpec[] {
  const specs: PathSpec[] = [];
  const model = valueAt(doc.value, '/model');
  if (typeof model === 'string') specs.push({ pointer: '/model', expect: 'file', what: 'model file' });
  if (typeof valueAt(doc.value, '/model/path') === 'string') specs.push({ pointer: '/model/path', expect: 'file', what: 'model file' });
  for (const set of ['calibration', 'eval'] as const) {
    if (typeof valueAt(doc.value, `/data/${set}/source`) === 'string') {
      specs.push({ pointer: `/data/${set}/source`, expect: 'dir', what: `${set} data folder` });
    }
  }
  if (typeof valueAt(doc.value, '/data/eval/labels') === 'string') specs.push({ pointer: '/data/eval/labels', expect: 'file', what: 'labels file' });
  return specs;
}

export async function validateFiles(
  doc: LocatedDoc, recipeFile: string, root: Root, plugins: ReadonlyMap<string, Plugin>,
): Promise<EdgeoptError[]> {
  const errors = datasetSourceErrors(doc);
  for (const spec of pathSpecs(doc)) {
    const written = String(valueAt(doc.value, spec.pointer));
    const abs = resolveWritten(doc, spec.pointer, recipeFile);
    const problem = await checkUserPath(abs, spec.expect, root, spec.what, written);
    const at = `\`${displayPath(spec.pointer)}\``;
    if (problem) errors.push(located(doc, spec.pointer, 'value', problem.code, `${at}: ${problem.message}`, problem.hint));
    else if (spec.expect === 'dir') {
      const link = await linkOutside(abs, root);
      if (link) {
        errors.push(located(doc, spec.pointer, 'value', 'E_PATH_ESCAPES', `${at}: ${spec.what} \`${written}\` holds a link ${link.link} to ${link.target}, outside the project root ${root.path}`,
          'copy the file into the dataset folder instead of linking to it; builds may only read files under the project root'));
      }
    } else if (spec.what === 'model file') {
      // a file that exists may still not be a model: an LFS pointer, a cut-short download, weights left behind
      const { problems, outline } = await inspectModelFile(abs);
      for (const bad of problems) errors.push(located(doc, spec.pointer, 'value', bad.code, `${at}: ${spec.what} \`${written}\` ${bad.message}`, bad.hint));
      if (problems.length === 0) errors.push(...modelInputErrors(doc, outline));
    }
  }
  errors.push(...(await fileInputErrors(doc, recipeFile, root, plugins)));
  return errors;
}

function datasetSourceErrors(doc: LocatedDoc): EdgeoptError[] {
  const errors: EdgeoptError[] = [];
  for (const set of ['calibration', 'eval'] as const) {
    const ds = valueAt(doc.value, `/data/${set}`);
    if (!isPlainObject(ds)) continue;
    const at = `/data/${set}`;
    const hasSource = ds['source'] !== undefined;
    const hasRandom = ds['random'] !== undefined;
    if (hasSource && hasRandom) {
      errors.push(located(doc, `${at}/random`, 'key', 'E_DATASET_SOURCE', `\`data.${set}\` has both \`source\` and \`random\`; it needs exactly one`,
        'remove `random` to use the files in `source`, or remove `source` to use seeded random inputs'));
    } else if (!hasSource && !hasRandom) {
      errors.push(located(doc, at, 'key', 'E_DATASET_SOURCE', `\`data.${set}\` needs an input source: \`source\` or \`random\``,
        'add `source: ./data/<folder>` (one .npy per model input, axis 0 = sample) or `random: { seed: 0 }`'));
    }
    if (hasRandom && !hasSource && ds['labels'] !== undefined) {
      errors.push(located(doc, `${at}/labels`, 'key', 'E_DATASET_SOURCE', `\`data.${set}.labels\` cannot label \`random\` inputs`,
        'give a `source` folder whose samples the labels belong to, or remove `labels` to measure fidelity against the float model'));
    }
  }
  return errors;
}

async function fileInputErrors(doc: LocatedDoc, recipeFile: string, root: Root, plugins: ReadonlyMap<string, Plugin>): Promise<EdgeoptError[]> {
  const steps = valueAt(doc.value, '/steps');
  if (!Array.isArray(steps)) return [];
  const errors: EdgeoptError[] = [];
  for (const [i, step] of steps.entries()) {
    const plugin = isPlainObject(step) && typeof step['uses'] === 'string' ? plugins.get(step['uses']) : undefined;
    const params = isPlainObject(step) ? (step['with'] ?? {}) : undefined;
    const validate = plugin ? pluginValidate(plugin) : undefined;
    if (!plugin?.fileInputs || !isPlainObject(params) || !validate || validate instanceof Error || !validate(params)) continue;
    let files: string[];
    try {
      files = plugin.fileInputs(params);
    } catch {
      continue; // a throwing fileInputs is the planner's to report, with the step that needs it
    }
    for (const file of files) {
      const problem = await checkUserPath(resolve(dirname(recipeFile), file), 'any', root, `file read by step \`${String(step['id'])}\``, file);
      if (problem) errors.push(located(doc, `/steps/${i}/with`, 'value', problem.code, problem.message, problem.hint));
    }
  }
  return errors;
}

function located(doc: LocatedDoc, pointer: string, at: 'key' | 'value', code: string, message: string, hint: string): EdgeoptError {
  const location = locate(doc, pointer, at);
  return new EdgeoptError({ code, message, hint, ...(location ? { location } : {}) });
}
