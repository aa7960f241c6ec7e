// Where each model input's samples come from: a pinned constant, seeded random data, one stacked .npy, or a file per sample.
import { Tensor } from 'onnxruntime-node';
import { EdgeoptError } from '../errors.js';
import { tensorFor } from '../ort/feeds.js';
import { formatShape, type InputSpec } from '../ort/input-specs.js';
import { convertData } from './dtype-convert.js';
import { elementCount, type NdArray, type TypedArray } from './npy-dtypes.js';
import { readNpy, readNpyHeader, readNpyRows } from './npy-io.js';

export interface InputSource {
  spec: InputSpec;
  kind: 'constant' | 'random' | 'stacked' | 'files';
  /** tensors of samples [start, start + count), each of exactly the pinned shape and the model's dtype */
  read(start: number, count: number): Promise<Tensor[]>;
}

/** A stored sample fits input shape S when it is S, or S without its leading 1 (the batch axis merged into axis 0). */
export function fitsSample(stored: readonly number[], shape: readonly number[]): boolean {
  const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
  return same(stored, shape) || (shape[0] === 1 && same(stored, shape.slice(1)));
}

function acceptedShapes(shape: readonly number[], prefix: string): string {
  const full = formatShape([...(prefix ? [prefix] : []), ...shape]);
  return shape[0] === 1 ? `${full} or ${formatShape([...(prefix ? [prefix] : []), ...shape.slice(1)])}` : full;
}

function shapeError(file: string, stored: readonly number[], spec: InputSpec, stacked: boolean): EdgeoptError {
  const what = stacked ? `holds ${stored[0]} samples of ${formatShape(stored.slice(1))}` : `holds one sample of ${formatShape(stored)}`;
  return new EdgeoptError({
    code: 'E_DATA_SHAPE', kind: 'recipe',
    message: `${file} has shape ${formatShape(stored)} (it ${what}), but model input "${spec.name}" takes ${formatShape(spec.shape)}`,
    hint: `save it with shape ${acceptedShapes(spec.shape, stacked ? 'N' : '')}${stacked ? ' (axis 0 = sample)' : ''}, or change model.inputs.${spec.name}`,
  });
}

function converted(array: NdArray, spec: InputSpec, file: string): TypedArray {
  const out = convertData(array.data, array.dtype, spec.dtype);
  if (typeof out === 'string') {
    throw new EdgeoptError({
      code: 'E_DATA_DTYPE', kind: 'recipe',
      message: `${file} is ${array.dtype}, model input "${spec.name}" is ${spec.dtype}: ${out}`,
      hint: `save the array as ${spec.dtype} (numpy: array.astype(numpy.${spec.dtype === 'bool' ? 'bool_' : spec.dtype}))`,
    });
  }
  return out;
}

/** `count` samples stored back to back in `data`, as tensors that view their slices (no copies). */
function sliceTensors(data: TypedArray, spec: InputSpec, count: number): Tensor[] {
  const per = elementCount(spec.shape);
  return Array.from({ length: count }, (_, i) => new Tensor(spec.dtype, data.subarray(i * per, (i + 1) * per) as never, spec.shape));
}

/** The pinned constant, the same tensor for every sample. */
export function constantSource(spec: InputSpec): InputSource {
  const tensor = tensorFor(spec, 0);
  return { spec, kind: 'constant', read: async (_start, count) => Array.from({ length: count }, () => tensor) };
}

/** Sample i of seed s: sample 0 equals the benchmark's feeds for seed s; later samples use well-spread seeds. */
export function sampleSeed(seed: number, index: number): number {
  return (seed + Math.imul(index, 0x9e3779b9)) >>> 0;
}

export function randomSource(spec: InputSpec, seed: number): InputSource {
  return {
    spec, kind: 'random',
    read: async (start, count) => Array.from({ length: count }, (_, i) => tensorFor(spec, sampleSeed(seed, start + i))),
  };
}

/** `<input>.npy` holding all samples along axis 0; only the rows of each batch are read. */
export async function stackedSource(spec: InputSpec, file: string): Promise<InputSource & { rows: number }> {
  const header = await readNpyHeader(file);
  const [rows, ...sample] = header.shape;
  if (rows === undefined || !fitsSample(sample, spec.shape)) throw shapeError(file, header.shape, spec, true);
  return {
    spec, kind: 'stacked', rows,
    read: async (start, count) => sliceTensors(converted(await readNpyRows(file, header, start, count), spec, file), spec, count),
  };
}

/** One .npy file per sample (the JSONL layout); `files[i]` is sample i's file. */
export function fileSource(spec: InputSpec, files: readonly string[]): InputSource {
  return {
    spec, kind: 'files',
    read: async (start, count) => Promise.all(files.slice(start, start + count).map(async (file) => {
      const array = await readNpy(file);
      if (!fitsSample(array.shape, spec.shape)) throw shapeError(file, array.shape, spec, false);
      return new Tensor(spec.dtype, converted(array, spec, file) as never, spec.shape);
    })),
  };
}
