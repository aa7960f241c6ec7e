// Test support for evaluation: tiny models with known weights (exact predictions) and labelled datasets on disk.
import path from 'node:path';
import { writeNpy } from '../../../src/data/npy-io.js';
import { DataType, encodeTensor, writeModel, type ModelProto } from '../../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { testTmpDir } from '../ort/step-context.js';

const FLOAT = DataType.FLOAT;

/** W [F, C] with ones on the diagonal: the first C features are the class scores. */
export function identityWeights(features: number, classes: number): Float32Array {
  return Float32Array.from({ length: features * classes }, (_, i) => (Math.floor(i / classes) === i % classes ? 1 : 0));
}

/**
 * x [1, F] → MatMul(W [F, C]) → (+ bias) → then Softmax (`probs`), Sigmoid (`p`) or nothing (`y`).
 * With exactly representable inputs (multiples of 1/4) the MatMul is exact in float32.
 */
export function linearModel(weights: Float32Array, features: number, classes: number, opts: { head?: 'softmax' | 'sigmoid'; bias?: number } = {}): ModelProto {
  const out = opts.head === 'softmax' ? 'probs' : opts.head === 'sigmoid' ? 'p' : 'y';
  const nodes = [makeNode('MatMul', ['x', 'W'], [opts.bias !== undefined || opts.head ? 'mm' : out], {}, 'mm')];
  const initializers = [encodeTensor(weights, [features, classes], { name: 'W' })];
  let last = 'mm';
  if (opts.bias !== undefined) {
    initializers.push(encodeTensor(Float32Array.of(opts.bias), [1], { name: 'b' }));
    nodes.push(makeNode('Add', ['mm', 'b'], [opts.head ? 'biased' : out], {}, 'bias'));
    last = 'biased';
  }
  if (opts.head === 'softmax') nodes.push(makeNode('Softmax', [last], [out], { axis: { int: -1 } }, 'softmax'));
  if (opts.head === 'sigmoid') nodes.push(makeNode('Sigmoid', [last], [out], {}, 'sigmoid'));
  return makeModel({
    nodes,
    inputs: [tensorValueInfo('x', FLOAT, [1, features])],
    outputs: [tensorValueInfo(out, FLOAT, [1, classes])],
    initializers,
  });
}

export async function saveModel(model: ModelProto, file = path.join(testTmpDir(), 'model.onnx')): Promise<string> {
  await writeModel(model, file, { externalData: false });
  return file;
}

/**
 * Three-class eval data: sample i scores class i % 3 highest (2 against 0.25 and 0.5); its label is that class for
 * the first `correct` samples and the next class for the rest, so top-1 is exactly correct / n.
 */
export function threeClassData(n: number, correct: number): { x: Float32Array; labels: BigInt64Array; predicted: number[] } {
  const x = new Float32Array(n * 4);
  const predicted: number[] = [];
  const labels = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const p = i % 3;
    x.set([0.25, 0.5, 0.25, 0.75], i * 4); // feature 3 is ignored by the weights
    x[i * 4 + p] = 2;
    predicted.push(p);
    labels[i] = BigInt(i < correct ? p : (p + 1) % 3);
  }
  return { x, labels, predicted };
}

/** Writes x.npy ([N, 4] float32) and labels.npy into a fresh folder; returns the folder. */
export async function writeStacked(x: Float32Array, labels?: { dtype: 'int64' | 'float32'; shape: number[]; data: BigInt64Array | Float32Array }, dir = testTmpDir()): Promise<string> {
  await writeNpy(path.join(dir, 'x.npy'), { dtype: 'float32', shape: [x.length / 4, 4], data: x });
  if (labels) await writeNpy(path.join(dir, 'labels.npy'), labels);
  return dir;
}
