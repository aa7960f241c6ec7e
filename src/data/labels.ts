// Eval labels: class ids or float targets, one entry per sample, from a .npy file or the `label` fields of data.jsonl.
import { EdgeoptError } from '../errors.js';
import { toFloat64 } from './dtype-convert.js';
import { elementCount, isFloat } from './npy-dtypes.js';
import { readNpy } from './npy-io.js';
import { readManifest, type ManifestLabel, type ManifestLine } from './jsonl-manifest.js';

export interface Labels {
  file: string;
  /** 'class': integer class ids (int dtype, or whole numbers in JSONL); 'target': float values compared element-wise */
  kind: 'class' | 'target';
  /** samples labelled (axis 0) */
  count: number;
  /** shape of one sample's label: [] for a class id per sample */
  sampleShape: number[];
  /** count × product(sampleShape) values, sample-major */
  values: Float64Array;
  /** every value is a whole number (float labels that are whole numbers may still serve as class ids) */
  integral: boolean;
}

function labelError(file: string, message: string, hint?: string): EdgeoptError {
  return new EdgeoptError({ code: 'E_DATA_LABELS', kind: 'recipe', message: `${file}: ${message}`, ...(hint ? { hint } : {}) });
}

function finish(file: string, kind: Labels['kind'], count: number, sampleShape: number[], values: Float64Array): Labels {
  return { file, kind, count, sampleShape, values, integral: values.every((v) => Number.isInteger(v)) };
}

/** Shape of a nested list of numbers, or undefined when it is ragged or holds non-numbers. */
function nestedShape(v: unknown): number[] | undefined {
  if (typeof v === 'number') return [];
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const inner = nestedShape(v[0]);
  if (!inner) return undefined;
  for (const item of v) if (nestedShape(item)?.join() !== inner.join()) return undefined;
  return [v.length, ...inner];
}

async function manifestLabel(label: ManifestLabel, file: string, line: number): Promise<{ shape: number[]; values: Float64Array; float: boolean }> {
  if (typeof label === 'object' && !Array.isArray(label)) {
    const array = await readNpy(label.file);
    return { shape: array.shape, values: Float64Array.from(toFloat64(array.data, array.dtype)), float: isFloat(array.dtype) };
  }
  const shape = nestedShape(label);
  if (!shape) throw labelError(`${file}:${line}`, '"label" must be a number or a rectangular list of numbers');
  const values = Float64Array.from((Array.isArray(label) ? label.flat(Infinity) : [label]) as number[]);
  return { shape, values, float: Array.isArray(label) || !Number.isInteger(label) };
}

/** Labels from the `label` field of every line of a manifest. */
export async function labelsFromManifest(file: string, lines: readonly ManifestLine[]): Promise<Labels> {
  const parts: Array<{ shape: number[]; values: Float64Array; float: boolean }> = [];
  for (const l of lines) {
    if (l.label === undefined) throw labelError(`${file}:${l.line}`, 'this sample has no "label", but the recipe takes labels from this file');
    const part = await manifestLabel(l.label, file, l.line);
    if (parts.length && part.shape.join() !== parts[0]!.shape.join()) {
      throw labelError(`${file}:${l.line}`, `the label has shape [${part.shape.join(', ')}], the first sample's has [${parts[0]!.shape.join(', ')}]`);
    }
    parts.push(part);
  }
  const per = elementCount(parts[0]!.shape);
  const values = new Float64Array(parts.length * per);
  parts.forEach((p, i) => values.set(p.values, i * per));
  return finish(file, parts.some((p) => p.float) ? 'target' : 'class', parts.length, parts[0]!.shape, values);
}

/** Labels from `file`: a .npy ([N] int class ids, or [N, ...] float targets) or a .jsonl manifest's `label` fields. */
export async function readLabels(file: string): Promise<Labels> {
  if (file.endsWith('.jsonl')) return labelsFromManifest(file, await readManifest(file));
  const array = await readNpy(file);
  const [count, ...sampleShape] = array.shape;
  if (count === undefined) throw labelError(file, 'labels must have a sample axis: shape [N] or [N, ...]', 'save labels with axis 0 = sample');
  // readNpy's buffer is ours: float64 labels are used in place
  return finish(file, isFloat(array.dtype) ? 'target' : 'class', count, sampleShape, toFloat64(array.data, array.dtype));
}
