// Builds ORT input tensors from resolved input specs: pinned constants, or seeded deterministic random data.
import { Tensor, type InferenceSession } from 'onnxruntime-node';
import { EdgeoptError } from '../errors.js';
import type { InputPin, TensorDType } from '../recipe/types.js';
import { ortErrorText } from './ort-message.js';
import { resolveInputSpecs, type InputMetadata, type InputSpec } from './input-specs.js';
import { streamFor, type Random } from './seeded-random.js';

export type Feeds = Record<string, Tensor>;

type TypedArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array
  | Uint32Array | BigInt64Array | BigUint64Array;

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
}

/** IEEE 754 binary16 bits of a number (round half to even); ORT takes float16 data as a Uint16Array. */
export function toFloat16Bits(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  if (a >= 65520) return sign | 0x7c00; // 65504 is the largest half; from 65520 on, rounding reaches infinity
  if (a < 2 ** -14) return sign | roundHalfEven(a / 2 ** -24); // subnormal: units of 2^-24
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  // a mantissa that rounds up to 1024 carries into the exponent, which is exactly right
  return sign | (((e + 15) << 10) + roundHalfEven((a / 2 ** e - 1) * 1024));
}

function allocate(dtype: TensorDType, n: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'float16': case 'uint16': return new Uint16Array(n);
    case 'int8': return new Int8Array(n);
    case 'uint8': case 'bool': return new Uint8Array(n);
    case 'int16': return new Int16Array(n);
    case 'int32': return new Int32Array(n);
    case 'uint32': return new Uint32Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'uint64': return new BigUint64Array(n);
  }
}

/** One element from a number: floats as-is, float16 as bits, ints truncated, bigints for 64-bit, bools 0/1. */
function encode(dtype: TensorDType, v: number): number | bigint {
  if (dtype === 'float32' || dtype === 'float64') return v;
  if (dtype === 'float16') return toFloat16Bits(v);
  if (dtype === 'bool') return v ? 1 : 0;
  if (dtype === 'int64' || dtype === 'uint64') return BigInt(Math.trunc(v));
  return Math.trunc(v);
}

// Floats ~ U(-1, 1): bounded, valid for audio and normalized images; ints in [0, 16): safe as small indices;
// bools 50/50. Random data measures speed and fidelity, never task accuracy.
function sample(dtype: TensorDType, rand: Random): number {
  if (dtype.startsWith('float')) return rand() * 2 - 1;
  if (dtype === 'bool') return rand() < 0.5 ? 0 : 1;
  return Math.floor(rand() * 16);
}

/** The tensor for one input spec; the same seed and spec always give the same bytes. */
export function tensorFor(spec: InputSpec, seed: number): Tensor {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const data = allocate(spec.dtype, n);
  const constant = spec.value === undefined ? undefined : Array.isArray(spec.value) ? spec.value : [spec.value];
  const rand = streamFor(seed, spec.name);
  for (let i = 0; i < n; i++) {
    const raw = constant ? Number(constant[constant.length === 1 ? 0 : i]) : sample(spec.dtype, rand);
    (data as unknown as Array<number | bigint>)[i] = encode(spec.dtype, raw);
  }
  return new Tensor(spec.dtype, data as never, spec.shape);
}

/** Feeds for every input of `session`, honouring the recipe's pins; throws pin errors (E_DYNAMIC_DIM, …). */
export function buildFeeds(session: Pick<InferenceSession, 'inputMetadata'>, pins: Record<string, InputPin>, seed = 0): Feeds {
  const specs = resolveInputSpecs(session.inputMetadata as readonly InputMetadata[], pins);
  return Object.fromEntries(specs.map((s) => [s.name, tensorFor(s, seed)]));
}

/**
 * What to say when a model fails to run on the feeds buildFeeds made: generated integers are small random values,
 * which an input holding an axis, an index or a shape rejects. The fix is a pinned value (or a dataset).
 */
export function generatedFeedsError(thrown: unknown, session: Pick<InferenceSession, 'inputMetadata'>, model: string): EdgeoptError {
  const intInputs = (session.inputMetadata as readonly InputMetadata[]).filter((m) => m.isTensor && /^u?int(8|16|32|64)$/.test(m.type ?? ''));
  const integers = intInputs.map((m) => m.name);
  const first = intInputs[0];
  const shape = `[${(first?.shape ?? [1]).map((d) => (typeof d === 'number' && d >= 0 ? d : 1)).join(', ')}]`;
  const pin = first?.name ?? 'input';
  return new EdgeoptError({
    code: 'E_RUN_GENERATED_INPUTS', kind: 'step', cause: thrown,
    message: `ONNX Runtime could not run ${model} on the inputs edgeopt generated (seeded random values; integers in [0, 16)): ${ortErrorText(thrown)}`,
    hint: integers.length
      ? `integer inputs (${integers.join(', ')}) often hold axes, indices or shapes: pin the values the model expects, e.g. model.inputs.${pin}: { shape: ${shape}, value: 0 }`
      : 'pin the inputs the model needs (model.inputs.<name>: { shape: [...], value: ... }), or give a dataset with real samples',
  });
}
