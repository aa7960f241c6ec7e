// Test support for INT4: a small pre-LayerNorm transformer block built in code (attention projections + MLP with
// seeded weights) and activation-like data for it (correlated features, a few outlier channels, as LLM inputs have).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeNpy } from '../../../src/data/npy-io.js';
import { DataType, encodeTensor, type ModelProto, type TensorProto } from '../../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { mulberry32 } from '../../../src/ort/seeded-random.js';

export interface BlockShape {
  tokens: number;
  dModel: number;
  dFfn: number;
}

export const BLOCK: BlockShape = { tokens: 16, dModel: 256, dFfn: 1024 };

/** Gaussian numbers from a seeded uniform stream (Box-Muller). */
function gaussian(seed: number): () => number {
  const rand = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** A [k, n] weight ~ N(0, 1/k), with a few heavy columns (the outliers that make per-block scales matter). */
export function linearWeight(name: string, k: number, n: number, seed: number, gain = 1): TensorProto {
  const g = gaussian(seed);
  const values = Float32Array.from({ length: k * n }, (_, i) => ((gain * g()) / Math.sqrt(k)) * (i % n % 61 === 5 ? 6 : 1));
  return encodeTensor(values, [k, n], { name });
}

function vector(name: string, n: number, seed: number, base: number, spread: number, outliers = false): TensorProto {
  const rand = mulberry32(seed);
  return encodeTensor(Float32Array.from({ length: n }, (_, i) => (base + (rand() * 2 - 1) * spread) * (outliers && i % 37 === 3 ? 4 : 1)), [n], { name });
}

/**
 * x[1, T, d] → LN → q, k, v (d×d) → softmax(q·kᵀ/√d)·v → o (d×d) → + x → LN → up (d×f) → x·sigmoid(1.702x) → down (f×d) → + → y.
 * Six MatMuls have constant weights; the two attention products are computed at run time.
 */
export function transformerBlock(shape: BlockShape = BLOCK, seed = 100): ModelProto {
  const { tokens: t, dModel: d, dFfn: f } = shape;
  const n = (op: string, inputs: string[], outputs: string[], name: string, attrs = {}) => makeNode(op, inputs, outputs, attrs, name);
  return makeModel({
    opset: 17,
    nodes: [
      n('LayerNormalization', ['x', 'ln1_g', 'ln1_b'], ['ln1'], 'attn/ln', { axis: { int: -1 } }),
      n('MatMul', ['ln1', 'Wq'], ['q'], 'attn/q_proj/MatMul'),
      n('MatMul', ['ln1', 'Wk'], ['k'], 'attn/k_proj/MatMul'),
      n('MatMul', ['ln1', 'Wv'], ['v'], 'attn/v_proj/MatMul'),
      n('Transpose', ['k'], ['kt'], 'attn/kT', { perm: { ints: [0, 2, 1] } }),
      n('MatMul', ['q', 'kt'], ['scores'], 'attn/scores/MatMul'),
      n('Mul', ['scores', 'inv_sqrt_d'], ['scaled'], 'attn/scale'),
      n('Softmax', ['scaled'], ['probs'], 'attn/softmax', { axis: { int: -1 } }),
      n('MatMul', ['probs', 'v'], ['ctx'], 'attn/context/MatMul'),
      n('MatMul', ['ctx', 'Wo'], ['o'], 'attn/o_proj/MatMul'),
      n('Add', ['x', 'o'], ['x1'], 'attn/residual'),
      n('LayerNormalization', ['x1', 'ln2_g', 'ln2_b'], ['ln2'], 'mlp/ln', { axis: { int: -1 } }),
      n('MatMul', ['ln2', 'W1'], ['h'], 'mlp/up_proj/MatMul'),
      n('Mul', ['h', 'gelu_k'], ['hk'], 'mlp/gelu/scale'),
      n('Sigmoid', ['hk'], ['hs'], 'mlp/gelu/sigmoid'),
      n('Mul', ['h', 'hs'], ['act'], 'mlp/gelu/mul'),
      n('MatMul', ['act', 'W2'], ['down'], 'mlp/down_proj/MatMul'),
      n('Add', ['x1', 'down'], ['y'], 'mlp/residual'),
    ],
    inputs: [tensorValueInfo('x', DataType.FLOAT, [1, t, d])],
    outputs: [tensorValueInfo('y', DataType.FLOAT, [1, t, d])],
    initializers: [
      vector('ln1_g', d, seed + 1, 1, 0.2, true), vector('ln1_b', d, seed + 2, 0, 0.1),
      linearWeight('Wq', d, d, seed + 3, 0.5), linearWeight('Wk', d, d, seed + 4, 0.5), linearWeight('Wv', d, d, seed + 5),
      linearWeight('Wo', d, d, seed + 6), encodeTensor(Float32Array.of(1 / Math.sqrt(d)), [], { name: 'inv_sqrt_d' }),
      vector('ln2_g', d, seed + 7, 1, 0.2, true), vector('ln2_b', d, seed + 8, 0, 0.1),
      linearWeight('W1', d, f, seed + 9), encodeTensor(Float32Array.of(1.702), [], { name: 'gelu_k' }), linearWeight('W2', f, d, seed + 10),
    ],
  });
}

/**
 * `samples` inputs [1, T, d]: features mixed through a fixed random matrix (correlated, as hidden states are) with a
 * few channels 10× larger. The same `mixSeed` gives the same distribution; `seed` picks the samples.
 */
export function blockInputs(samples: number, seed: number, shape: BlockShape = BLOCK, mixSeed = 7): Float32Array {
  const { tokens: t, dModel: d } = shape;
  const mixRand = gaussian(mixSeed);
  const rank = Math.max(8, d >> 3);
  const mix = Float32Array.from({ length: rank * d }, () => mixRand() / Math.sqrt(rank));
  const g = gaussian(seed);
  const out = new Float32Array(samples * t * d);
  const z = new Float32Array(rank);
  for (let row = 0; row < samples * t; row++) {
    for (let r = 0; r < rank; r++) z[r] = g();
    for (let c = 0; c < d; c++) {
      let v = 0.1 * g();
      for (let r = 0; r < rank; r++) v += z[r]! * mix[r * d + c]!;
      out[row * d + c] = v * (c % 53 === 7 ? 10 : 1);
    }
  }
  return out;
}

/** Writes calibration data for the block's input `x` as a stacked .npy in a new folder; returns the folder. */
export async function writeBlockCalibration(dir: string, samples: number, seed: number, shape: BlockShape = BLOCK): Promise<string> {
  const folder = path.join(dir, `calib-${seed}`);
  mkdirSync(folder, { recursive: true });
  await writeNpy(path.join(folder, 'x.npy'), { dtype: 'float32', shape: [samples, 1, shape.tokens, shape.dModel], data: blockInputs(samples, seed, shape) });
  return folder;
}
