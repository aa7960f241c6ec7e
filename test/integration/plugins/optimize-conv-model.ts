// Writes a tiny 2-D conv net (Conv 16→16 3×3 + Relu) as ONNX: the shape ORT's NCHWc layout transform rewrites.
import path from 'node:path';
import { DataType, encodeTensor, writeModel } from '../../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { mulberry32 } from '../../../src/ort/seeded-random.js';
import { testTmpDir } from '../ort/step-context.js';

function floatInitializer(name: string, dims: number[], seed: number): ReturnType<typeof encodeTensor> {
  const rand = mulberry32(seed);
  const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => (rand() * 2 - 1) * 0.2);
  return encodeTensor(data, dims, { name });
}

/** Path of a fresh model file: X[1,16,16,16] → Conv(W 16×16×3×3, B, pads 1) → Relu → Y. */
export async function conv2dModel(): Promise<string> {
  const model = makeModel({
    name: 'conv2d',
    nodes: [
      makeNode('Conv', ['X', 'W', 'B'], ['C'], { pads: { ints: [1, 1, 1, 1] } }, 'conv'),
      makeNode('Relu', ['C'], ['Y'], {}, 'relu'),
    ],
    inputs: [tensorValueInfo('X', DataType.FLOAT, [1, 16, 16, 16])],
    outputs: [tensorValueInfo('Y', DataType.FLOAT, [1, 16, 16, 16])],
    initializers: [floatInitializer('W', [16, 16, 3, 3], 1), floatInitializer('B', [16], 2)],
  });
  const file = path.join(testTmpDir(), 'conv2d.onnx');
  await writeModel(model, file, { externalData: false });
  return file;
}
