// Eval labels: class ids or float targets, one entry per sample, from a .npy file or the `label` fields of data.jsonl.
import { EdgeoptError } from '../errors.js';
import { toFloat64 } from './dtype-convert.js';
import { elementCount, isFloat } from './npy-dtypes.js';
import { readNpy, readNpyHeader, readNpyRows } from './npy-io.js';
import { readManifest, type ManifestLabel, type ManifestLine } from './jsonl-manifest.js';

/** What a label file holds, known from its header (or manifest) alone; values are read a batch at a time. */
export interface LabelSource {
  file: string;
  /** 'class': integer dtype (or whole numbers in JSONL); 'target': float values compared element-wise */
  kind: 'class' | 'target';
  /** samples labelled (axis 0) */
  count: number;
  /** shape of one sample's label: [] for a class id per sample */
  sampleShape: number[];
  /** labels of samples [start, start + count): count × product(sampleShape) values, sample-major */
  read(start: number, count: number): Promise<Float64Array>;
}

/** Every label in memory at once (small label files; the evaluate plugin streams with openLabels instead). */
export interface Labels extends Omit<LabelSource, 'read'> {
  values: Float64Array;
  /** every value is a whole number (float labels that are whole numbers may still serve as class ids) */
  integral: boolean;
}

function labelError(file: string, message: string, hint?: string): EdgeoptError {
  return new EdgeoptError({ code: 'E_DATA_LABELS', kind: 'recipe', message: `${file}: ${message}`, ...(hint ? { hint } : {}) });
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

/** Shape and kind of one manifest label without reading a label file's data (its header is enough). */
async function describeLabel(label: ManifestLabel, where: string): Promise<{ shape: number[]; float: boolean }> {
  if (typeof label === 'object' && !Array.isArray(label)) {
    const header = await readNpyHeader(label.file);
    return { shape: header.shape, float: isFloat(header.dtype) };
  }
  const shape = nestedShape(label);
  if (!shape) throw labelError(where, '"label" must be a number or a rectangular list of numbers');
  return { shape, float: Array.isArray(label) || !Number.isInteger(label) };
}

async function labelValues(label: ManifestLabel): Promise<Float64Array> {
  if (typeof label === 'object' && !Array.isArray(label)) {
    const array = await readNpy(label.file);
    return Float64Array.from(toFloat64(array.data, array.dtype));
  }
  return Float64Array.from((Array.isArray(label) ? label.flat(Infinity) : [label]) as number[]);
}

/** Labels from the `label` field of every line of a manifest; label .npy files are read when their batch is. */
export async function manifestLabels(file: string, lines: readonly ManifestLine[]): Promise<LabelSource> {
  let first: { shape: number[]; line: number } | undefined;
  let float = false;
  for (const l of lines) {
    if (l.label === undefined) throw labelError(`${file}:${l.line}`, 'this sample has no "label", but the recipe takes labels from this file');
    const d = await describeLabel(l.label, `${file}:${l.line}`);
    if (first && d.shape.join() !== first.shape.join()) {
      throw labelError(`${file}:${l.line}`, `the label has shape [${d.shape.join(', ')}], the label on line ${first.line} has [${first.shape.join(', ')}]`);
    }
    first ??= { shape: d.shape, line: l.line };
    float ||= d.float;
  }
  const sampleShape = first!.shape;
  const per = elementCount(sampleShape);
  return {
    file, kind: float ? 'target' : 'class', count: lines.length, sampleShape,
    async read(start, count) {
      const out = new Float64Array(count * per);
      for (let i = 0; i < count; i++) {
        const l = lines[start + i]!;
        const values = await labelValues(l.label!);
        // a label file may have been rewritten since its header was read
        if (values.length !== per) throw labelError(`${file}:${l.line}`, `the label has ${values.length} values, the labels before it have ${per}`);
        out.set(values, i * per);
      }
      return out;
    },
  };
}

/** Opens `file`: a .npy ([N] int class ids, or [N, ...] float targets) or a .jsonl manifest's `label` fields. */
export async function openLabels(file: string): Promise<LabelSource> {
  if (file.endsWith('.jsonl')) return manifestLabels(file, await readManifest(file));
  const header = await readNpyHeader(file);
  const [count, ...sampleShape] = header.shape;
  if (count === undefined) throw labelError(file, 'labels must have a sample axis: shape [N] or [N, ...]', 'save labels with axis 0 = sample');
  return {
    file, kind: isFloat(header.dtype) ? 'target' : 'class', count, sampleShape,
    async read(start, n) {
      const rows = await readNpyRows(file, header, start, n);
      // the rows are a fresh buffer: float64 labels are used in place
      return toFloat64(rows.data, rows.dtype);
    },
  };
}

/** All labels of `file` at once (see openLabels). */
export async function readLabels(file: string): Promise<Labels> {
  const { read, ...source } = await openLabels(file);
  const values = await read(0, source.count);
  return { ...source, values, integral: values.every((v) => Number.isInteger(v)) };
}
