// Float models for static INT8 tests: a conv net with the op mix of segmentation models, and an MLP with Gemm.
import type { ModelProto } from '../../../src/api.js';
import { decodeTensor, encodeTensor } from '../../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { FLOAT, randomWeight } from './quantize-models.js';

const pads = { ints: [1, 1, 1, 1] };

/**
 * x[1,3,16,16] → Conv → Relu → MaxPool → Conv → Relu → Conv, + residual Add → Resize (bilinear, ×2) → Concat with
 * the first Relu → Conv → Sigmoid → y. ISNet's building blocks at toy size.
 */
export function convNet(opset = 13): ModelProto {
  return makeModel({
    opset,
    nodes: [
      makeNode('Conv', ['x', 'W1', 'B1'], ['c1'], { pads }, 'conv1'),
      makeNode('Relu', ['c1'], ['r1'], {}, 'relu1'),
      makeNode('MaxPool', ['r1'], ['p1'], { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } }, 'pool1'),
      makeNode('Conv', ['p1', 'W2', 'B2'], ['c2'], { pads }, 'conv2'),
      makeNode('Relu', ['c2'], ['r2'], {}, 'relu2'),
      makeNode('Conv', ['r2', 'W3', 'B3'], ['c3'], { pads }, 'conv3'),
      makeNode('Add', ['c3', 'p1'], ['s'], {}, 'residual'),
      makeNode('Resize', ['s', '', 'scales'], ['u'], { mode: 'linear' }, 'upsample'),
      makeNode('Concat', ['u', 'r1'], ['cat'], { axis: { int: 1 } }, 'concat'),
      makeNode('Conv', ['cat', 'W4', 'B4'], ['c4'], { pads }, 'conv4'),
      makeNode('Sigmoid', ['c4'], ['y'], {}, 'sigmoid'),
    ],
    inputs: [tensorValueInfo('x', FLOAT, [1, 3, 16, 16])],
    outputs: [tensorValueInfo('y', FLOAT, [1, 4, 16, 16])],
    initializers: [
      randomWeight('W1', [8, 3, 3, 3], 21, 0.4), randomWeight('B1', [8], 22, 0.1),
      randomWeight('W2', [8, 8, 3, 3], 23, 0.2), randomWeight('B2', [8], 24, 0.1),
      randomWeight('W3', [8, 8, 3, 3], 25, 0.2), randomWeight('B3', [8], 26, 0.1),
      randomWeight('W4', [4, 16, 3, 3], 27, 0.2), randomWeight('B4', [4], 28, 0.1),
      encodeTensor(Float32Array.of(1, 1, 2, 2), [4], { name: 'scales' }),
    ],
  });
}

/** x[2,32] → Gemm(transB, alpha, beta) → Relu → MatMul → Add(bias) → y[2,8]. */
export function gemmMlp(): ModelProto {
  return makeModel({
    nodes: [
      makeNode('Gemm', ['x', 'B1', 'C1'], ['h'], { transB: { int: 1 }, alpha: 0.5, beta: 2 }, 'fc1'),
      makeNode('Relu', ['h'], ['hr'], {}, 'relu'),
      makeNode('MatMul', ['hr', 'W2'], ['m'], {}, 'fc2'),
      makeNode('Add', ['m', 'b2'], ['y'], {}, 'fc2_bias'),
    ],
    inputs: [tensorValueInfo('x', FLOAT, [2, 32])],
    outputs: [tensorValueInfo('y', FLOAT, [2, 8])],
    initializers: [randomWeight('B1', [24, 32], 31), randomWeight('C1', [24], 32, 0.1), randomWeight('W2', [24, 8], 33), randomWeight('b2', [8], 34, 0.1)],
  });
}

/** x → Conv → Clip(0, 6) → Conv → y (a graph output written by a Conv); Clip's bounds as attributes before opset 11. */
export function clipNet(opset: number): ModelProto {
  const clip = opset < 11
    ? makeNode('Clip', ['c1'], ['r1'], { min: 0, max: 6 }, 'relu6')
    : makeNode('Clip', ['c1', 'lo', 'hi'], ['r1'], {}, 'relu6');
  return makeModel({
    opset,
    nodes: [makeNode('Conv', ['x', 'W1', 'B1'], ['c1'], { pads }, 'conv1'), clip, makeNode('Conv', ['r1', 'W2'], ['y'], { pads }, 'conv2')],
    inputs: [tensorValueInfo('x', FLOAT, [1, 3, 8, 8])],
    outputs: [tensorValueInfo('y', FLOAT, [1, 4, 8, 8])],
    initializers: [
      randomWeight('W1', [8, 3, 3, 3], 41, 0.4), randomWeight('B1', [8], 42, 0.1), randomWeight('W2', [4, 8, 3, 3], 43, 0.2),
      ...(opset < 11 ? [] : [encodeTensor(Float32Array.of(0), [], { name: 'lo' }), encodeTensor(Float32Array.of(6), [], { name: 'hi' })]),
    ],
  });
}

/** Two Convs reading one weight that a Constant node holds, then an If whose branches each hold a Conv. */
export function sharedWeightsAndIf(): ModelProto {
  const w = randomWeight('', [4, 4, 3, 3], 51, 0.3);
  const branch = (name: string) => ({
    name, input: [], output: [{ name: `${name}_out` }], value_info: [], initializer: [randomWeight(`${name}_W`, [4, 4, 1, 1], 52)],
    node: [makeNode('Conv', ['rb', `${name}_W`], [`${name}_out`], {}, `${name}/Conv`)],
  });
  return makeModel({
    nodes: [
      makeNode('Constant', [], ['Wc'], { value: w }, 'weight'),
      makeNode('Conv', ['x', 'Wc'], ['a'], { pads }, 'conv_a'),
      makeNode('Conv', ['a', 'Wc'], ['b'], { pads }, 'conv_b'),
      // read inside the If bodies: it stays float, so this Relu cannot fold
      makeNode('Relu', ['b'], ['rb'], {}, 'relu_b'),
      makeNode('ReduceSum', ['x'], ['sum'], { keepdims: { int: 0 } }, 'sum'),
      makeNode('Greater', ['sum', 'zero'], ['cond'], {}, 'positive'),
      makeNode('If', ['cond'], ['y'], { then_branch: branch('then'), else_branch: branch('else') }, 'if'),
    ],
    inputs: [tensorValueInfo('x', FLOAT, [1, 4, 6, 6])],
    outputs: [tensorValueInfo('y', FLOAT, [1, 4, 6, 6])],
    initializers: [encodeTensor(Float32Array.of(0), [], { name: 'zero' })],
  });
}

/** x → Conv → BatchNormalization → Relu → y, BN with non-trivial statistics. */
export function batchNormNet(): ModelProto {
  // per-channel statistics around `base`; variances kept positive
  const vec = (name: string, seed: number, base: number, spread: number) =>
    encodeTensor((decodeTensor(randomWeight('', [6], seed, spread)) as Float32Array).map((v) => Math.abs(base + v) + 0.01), [6], { name });
  return makeModel({
    nodes: [
      makeNode('Conv', ['x', 'W', 'B'], ['c'], { pads }, 'conv'),
      makeNode('BatchNormalization', ['c', 'gamma', 'beta', 'mean', 'var'], ['n'], { epsilon: 1e-3 }, 'bn'),
      makeNode('Relu', ['n'], ['y'], {}, 'relu'),
    ],
    inputs: [tensorValueInfo('x', FLOAT, [1, 3, 8, 8])],
    outputs: [tensorValueInfo('y', FLOAT, [1, 6, 8, 8])],
    initializers: [
      randomWeight('W', [6, 3, 3, 3], 61, 0.4), randomWeight('B', [6], 62, 0.1),
      vec('gamma', 63, 1, 0.5), vec('beta', 64, 0, 0.3), vec('mean', 65, 0, 0.2), vec('var', 66, 1, 0.5),
    ],
  });
}

