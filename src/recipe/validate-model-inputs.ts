// Checks `model.inputs` against the graph inputs the model file declares, at load time: a pin naming no input, a wrong
// rank, fixed dim or dtype, an unpinned dynamic dim, an input edgeopt cannot feed, each at its place in the recipe.
import { EdgeoptError } from '../errors.js';
import type { ModelOutline } from '../onnx/index.js';
import { checkInputSpecs, type InputProblem } from '../ort/input-specs.js';
import { outlineInputMetadata } from '../ort/outline-inputs.js';
import { modelValidate } from './ajv-instance.js';
import { isPlainObject, locate, type LocatedDoc } from './located-doc.js';
import { join, valueAt } from './pointer.js';
import { inputPins } from './input-pins.js';
import type { InputPinDoc } from './schema.js';

/** Where a problem sits: the pin's key, its shape (or one dim of it), dtype or value; else the `model:` key. */
function placeOf(doc: LocatedDoc, problem: InputProblem): { pointer: string; at: 'key' | 'value' } {
  const pin = problem.pin;
  if (!pin) return { pointer: '/model', at: 'key' };
  const base = join('/model/inputs', pin.input);
  if (pin.part === 'name') return { pointer: base, at: 'key' };
  if (pin.part !== 'shape') return { pointer: join(base, pin.part), at: 'value' };
  const shape = Array.isArray(valueAt(doc.value, base)) ? base : join(base, 'shape'); // `x: [1, 3]` or `x: { shape: … }`
  return { pointer: pin.dim === undefined ? shape : join(shape, pin.dim), at: 'value' };
}

/**
 * The problems of the recipe's pins against `outline` (the model file's, read by the file check), each an error at its
 * place; kind 'recipe' throughout (exit 2): the build would stop on each at its first benchmark. None when `model:`
 * breaks its schema (those errors say what is wrong) or the model is not ONNX protobuf (no outline).
 */
export function modelInputErrors(doc: LocatedDoc, outline: ModelOutline | undefined): EdgeoptError[] {
  const model = valueAt(doc.value, '/model');
  if (!outline || !modelValidate()(model)) return [];
  const pins = isPlainObject(model) ? inputPins((model['inputs'] ?? {}) as Record<string, InputPinDoc>) : {};
  const { problems } = checkInputSpecs(outlineInputMetadata(outline), pins);
  return problems.map((problem) => {
    const { pointer, at } = placeOf(doc, problem);
    const location = locate(doc, pointer, at);
    // a bare `model: ./m.onnx` has nowhere to put pins yet: say which form takes them
    const form = typeof model === 'string' && problem.code === 'E_DYNAMIC_DIM'
      ? `; write the model as { path: ${model}, inputs: { … } }` : '';
    return new EdgeoptError({
      code: problem.code, kind: 'recipe', message: problem.message, hint: `${problem.hint}${form}`, ...(location ? { location } : {}),
    });
  });
}
