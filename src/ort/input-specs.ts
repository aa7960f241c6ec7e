// Model input metadata + recipe pins → one concrete shape and dtype per input, or errors that say how to pin.
import { EdgeoptError, type ErrorKind } from '../errors.js';
import type { InputPin, TensorDType } from '../recipe/types.js';

/** The part of ORT's `InferenceSession.ValueMetadata` we read (symbolic dims are strings, '' when unnamed). */
export interface InputMetadata {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: ReadonlyArray<number | string>;
}

export interface InputSpec {
  name: string;
  dtype: TensorDType;
  shape: number[];
  /** a constant from the pin, broadcast when it is a single value */
  value?: number | boolean | number[];
}

const SUPPORTED = new Set<string>(['float32', 'float16', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32',
  'uint32', 'int64', 'uint64', 'bool']);

/** `[batch, sequence]`, `[2, batch, 64]`, `[]`; an unnamed dynamic dim shows as `?`. */
export function formatShape(shape: ReadonlyArray<number | string>): string {
  return `[${shape.map((d) => (d === '' || d === -1 ? '?' : String(d))).join(', ')}]`;
}

function isBatchLike(dim: string): boolean {
  return /^(batch(_?size)?|n|N|b|B)$/.test(dim);
}

/** What to write in the recipe: fixed dims kept, batch-like dims as 1, other dims as `<name>` placeholders. */
function suggestedPin(shape: ReadonlyArray<number | string>): string {
  const dims = shape.map((d) => (typeof d === 'number' && d >= 0 ? String(d) : isBatchLike(String(d)) ? '1' : `<${d || 'dim'}>`));
  return `[${dims.join(', ')}]`;
}

/** Which part of a recipe pin a problem is about (dim: the index of a shape's element). */
export interface PinPlace {
  input: string;
  part: 'name' | 'shape' | 'dtype' | 'value';
  dim?: number;
}

/** One thing wrong between a model's inputs and the recipe's pins, as data: the recipe places it, a run throws it. */
export interface InputProblem {
  code: string;
  kind: ErrorKind;
  message: string;
  hint: string;
  /** the pin at fault; absent when the model's inputs are (a dynamic dim nobody pinned, a type edgeopt cannot feed) */
  pin?: PinPlace;
}

function pinProblem(code: string, pin: PinPlace, message: string, hint: string): InputProblem {
  return { code, kind: 'recipe', message, hint, pin };
}

function pinShapeProblems(meta: InputMetadata, shape: ReadonlyArray<number | string>, pin: InputPin): InputProblem[] {
  const problems: InputProblem[] = [];
  const at = (part: PinPlace['part'], dim?: number): PinPlace => ({ input: meta.name, part, ...(dim !== undefined ? { dim } : {}) });
  if (pin.shape.length !== shape.length) {
    problems.push(pinProblem('E_PIN_SHAPE', at('shape'),
      `model.inputs.${meta.name}: the pinned shape ${formatShape(pin.shape)} has rank ${pin.shape.length}, but the model's input ${meta.name} has shape ${formatShape(shape)} (rank ${shape.length})`,
      `pin a shape of rank ${shape.length}, e.g. model.inputs.${meta.name}: ${suggestedPin(shape)}`));
  } else {
    shape.forEach((d, i) => {
      if (typeof d === 'number' && d >= 0 && pin.shape[i] !== d) {
        problems.push(pinProblem('E_PIN_SHAPE', at('shape', i),
          `model.inputs.${meta.name}: the pinned shape ${formatShape(pin.shape)} sets dim ${i} to ${pin.shape[i]}, but the model fixes it to ${d} (shape ${formatShape(shape)})`,
          `only dynamic dims can be chosen: model.inputs.${meta.name}: ${suggestedPin(shape)}`));
      }
    });
  }
  if (pin.dtype && meta.type && pin.dtype !== meta.type) {
    problems.push(pinProblem('E_PIN_DTYPE', at('dtype'), `model.inputs.${meta.name}: pinned dtype ${pin.dtype}, but the model's input ${meta.name} is ${meta.type}`,
      `remove the dtype or set it to ${meta.type}`));
  }
  if (Array.isArray(pin.value)) {
    const count = pin.shape.reduce((a, b) => a * b, 1);
    if (pin.value.length !== count && pin.value.length !== 1) {
      problems.push(pinProblem('E_PIN_VALUE', at('value'), `model.inputs.${meta.name}: value has ${pin.value.length} elements, shape ${formatShape(pin.shape)} needs ${count}`,
        'give one value (it is repeated) or exactly one per element'));
    }
  }
  return problems;
}

/**
 * Every model input resolved against the pins, and every problem (in the order a run meets them). `metadata` is what
 * ORT reports of a session, or the same built from the model file's outline when the recipe is loaded.
 */
export function checkInputSpecs(metadata: readonly InputMetadata[], pins: Record<string, InputPin>): { specs: InputSpec[]; problems: InputProblem[] } {
  const names = metadata.map((m) => m.name);
  const problems: InputProblem[] = Object.keys(pins).filter((pinned) => !names.includes(pinned)).map((pinned) => pinProblem(
    'E_PIN_UNKNOWN_INPUT', { input: pinned, part: 'name' }, `model.inputs.${pinned}: the model has no input named "${pinned}"; its inputs are: ${names.join(', ')}`,
    `pin one of: ${names.join(', ')}`));
  const specs: InputSpec[] = [];
  const unpinned: Array<{ name: string; shape: ReadonlyArray<number | string> }> = [];
  for (const meta of metadata) {
    const type = meta.type ?? '';
    if (!meta.isTensor || !SUPPORTED.has(type)) {
      problems.push({ code: 'E_UNSUPPORTED_INPUT', kind: 'step',
        message: `model input ${meta.name} is ${meta.isTensor ? `a ${type} tensor` : 'not a tensor'}: edgeopt cannot make data for it`,
        hint: `supported input types: ${[...SUPPORTED].join(', ')}` });
      continue;
    }
    const shape = meta.shape ?? [];
    const pin = pins[meta.name];
    if (pin) {
      problems.push(...pinShapeProblems(meta, shape, pin));
      specs.push({ name: meta.name, dtype: pin.dtype ?? (type as TensorDType), shape: [...pin.shape],
        ...(pin.value !== undefined ? { value: pin.value } : {}) });
    } else if (shape.every((d) => typeof d === 'number' && d >= 0)) {
      specs.push({ name: meta.name, dtype: type as TensorDType, shape: shape as number[] });
    } else {
      unpinned.push({ name: meta.name, shape });
    }
  }
  if (unpinned.length > 0) {
    const list = unpinned.map((u) => `${u.name} ${formatShape(u.shape)}`).join(', ');
    problems.push({ code: 'E_DYNAMIC_DIM', kind: 'recipe',
      message: `${unpinned.length === 1 ? 'model input' : 'model inputs'} ${list} ${unpinned.length === 1 ? 'has' : 'have'} dynamic dims that the recipe does not pin`,
      hint: `pin a number for every dynamic dim in the recipe: ${unpinned.map((u) => `model.inputs.${u.name}: ${suggestedPin(u.shape)}`).join(', ')}` });
  }
  return { specs, problems };
}

/** Resolves every model input; throws the first problem (one error naming all unpinned dynamic inputs at once). */
export function resolveInputSpecs(metadata: readonly InputMetadata[], pins: Record<string, InputPin>): InputSpec[] {
  const { specs, problems } = checkInputSpecs(metadata, pins);
  const first = problems[0];
  if (first) throw new EdgeoptError({ code: first.code, kind: first.kind, message: first.message, hint: first.hint });
  return specs;
}
