// Test support for quantization: small float models built in code, and float-vs-quantized comparison on real ORT sessions.
import path from 'node:path';
import { readModel, walkGraphs, type ModelProto, type NodeProto } from '../../../src/api.js';
import { DataType, encodeTensor, makeAttribute, writeModel, type TensorProto } from '../../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { mulberry32 } from '../../../src/ort/seeded-random.js';
import { testTmpDir } from '../ort/step-context.js';

export const FLOAT = DataType.FLOAT;

/** Seeded weights in [-scale, scale); a few channels get a 4× larger range so per-channel scales matter. */
export function randomWeight(name: string, dims: number[], seed: number, scale = 0.5): TensorProto {
  const rand = mulberry32(seed);
  const n = dims.reduce((a, b) => a * b, 1);
  const last = dims[dims.length - 1] ?? 1;
  return encodeTensor(Float32Array.from({ length: n }, (_, i) => (rand() * 2 - 1) * scale * (i % last === 3 ? 4 : 1)), dims, { name });
}

export async function saveModel(model: ModelProto, name: string): Promise<string> {
  const file = path.join(testTmpDir(), `${name}.onnx`);
  await writeModel(model, file, { externalData: false });
  return file;
}

/** x[1,K] → MatMul(W1 K×H) → Add(b1) → Relu → MatMul(W2 H×N) → y[1,N], at the given opset. */
export function mlp(k = 64, h = 96, n = 32, opset = 13): ModelProto {
  return makeModel({
    opset,
    nodes: [
      makeNode('MatMul', ['x', 'W1'], ['h0'], {}, 'fc1/MatMul'),
      makeNode('Add', ['h0', 'b1'], ['h1'], {}, 'fc1/Add'),
      makeNode('Relu', ['h1'], ['h2'], {}, 'relu'),
      makeNode('MatMul', ['h2', 'W2'], ['y'], {}, 'fc2/MatMul'),
    ],
    inputs: [tensorValueInfo('x', FLOAT, [1, k])],
    outputs: [tensorValueInfo('y', FLOAT, [1, n])],
    initializers: [randomWeight('W1', [k, h], 1), randomWeight('b1', [h], 2, 0.1), randomWeight('W2', [h, n], 3)],
  });
}

/** Y = alpha·X·B' + beta·C with B [N, K] (transB=1) and constant C [N]. */
export function gemm(alpha: number, beta: number): ModelProto {
  return makeModel({
    nodes: [makeNode('Gemm', ['x', 'B', 'C'], ['y'], { transB: { int: 1 }, alpha, beta }, 'gemm')],
    inputs: [tensorValueInfo('x', FLOAT, [2, 48])],
    outputs: [tensorValueInfo('y', FLOAT, [2, 24])],
    initializers: [randomWeight('B', [24, 48], 4), randomWeight('C', [24], 5)],
  });
}

/** Two MatMuls reading the same weight W, one of them given by a Constant node. */
export function sharedAndConstantWeights(): ModelProto {
  const w = randomWeight('W', [32, 32], 6);
  const wc = randomWeight('Wc', [32, 16], 7);
  return makeModel({
    nodes: [
      makeNode('Constant', [], ['Wc'], { value: { ...wc, name: '' } }, 'const_w'),
      makeNode('MatMul', ['x', 'W'], ['a'], {}, 'mm_a'),
      makeNode('MatMul', ['a', 'W'], ['b'], {}, 'mm_b'),
      makeNode('MatMul', ['b', 'Wc'], ['y'], {}, 'mm_c'),
    ],
    inputs: [tensorValueInfo('x', FLOAT, [1, 32])],
    outputs: [tensorValueInfo('y', FLOAT, [1, 16])],
    initializers: [w],
  });
}

/** An If whose branches each hold a MatMul on the outer graph's weight W. */
export function matmulInIf(): ModelProto {
  const branch = (name: string, scale: number) => ({
    name, node: [makeNode('MatMul', ['x', 'W'], [`${name}_mm`], {}, `${name}/MatMul`), makeNode('Mul', [`${name}_mm`, `${name}_k`], [`${name}_out`], {}, `${name}/Mul`)],
    initializer: [encodeTensor(Float32Array.of(scale), [], { name: `${name}_k` })],
    input: [], output: [{ name: `${name}_out` }], value_info: [],
  });
  return makeModel({
    nodes: [
      makeNode('ReduceSum', ['x'], ['s'], { keepdims: { int: 0 } }, 'sum'),
      makeNode('Greater', ['s', 'zero'], ['cond'], {}, 'gt'),
      makeNode('If', ['cond'], ['y'], { then_branch: branch('then', 1), else_branch: branch('else', -1) }, 'if'),
    ],
    inputs: [tensorValueInfo('x', FLOAT, [1, 40])],
    outputs: [tensorValueInfo('y', FLOAT, [1, 20])],
    initializers: [randomWeight('W', [40, 20], 8), encodeTensor(Float32Array.of(0), [], { name: 'zero' })],
  });
}

/** X[1,8,12,12] → Conv(W 16×8×3×3, B) → Y. */
export function conv(): ModelProto {
  return makeModel({
    nodes: [makeNode('Conv', ['x', 'W', 'B'], ['y'], { pads: { ints: [1, 1, 1, 1] } }, 'conv')],
    inputs: [tensorValueInfo('x', FLOAT, [1, 8, 12, 12])],
    outputs: [tensorValueInfo('y', FLOAT, [1, 16, 12, 12])],
    initializers: [randomWeight('W', [16, 8, 3, 3], 9, 0.3), randomWeight('B', [16], 10, 0.1)],
  });
}

/** Op types of every node of every graph, counted (domain-prefixed outside the default domain). */
export function opCounts(model: ModelProto): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const g of walkGraphs(model.graph!)) {
    for (const n of g.graph.node) {
      const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.op_type}` : n.op_type ?? '';
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return counts;
}

export async function opCountsOf(file: string): Promise<Record<string, number>> {
  return opCounts(await readModel(file));
}

export function nodesOf(model: ModelProto, opType: string): NodeProto[] {
  const out: NodeProto[] = [];
  for (const g of walkGraphs(model.graph!)) out.push(...g.graph.node.filter((n) => n.op_type === opType));
  return out;
}

export { makeAttribute };
