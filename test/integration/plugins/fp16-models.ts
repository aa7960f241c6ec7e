// Test support for FP16: small float models built in code, and graph checks (back-to-back Casts, declared types).
import { castTarget, encodeTensor, inferElemTypes, opsetVersion, walkGraphs, type ModelProto } from '../../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { FLOAT, randomWeight } from './quantize-models.js';

/**
 * x[1,16] → MatMul(W) → Add(b) → Mul(g) → Sub(c) → Mul(g) → Min(big) → Reshape(Shape(h1)) → Softmax → y:
 * `g` is read by two Muls, `c` only by the Sub (a node a test blocks), `big` holds values beyond float16's range.
 */
export function mixedModel(): ModelProto {
  const big = encodeTensor(Float32Array.from({ length: 16 }, (_, i) => (i === 0 ? 1e6 : i === 1 ? 1e-9 : 0.25)), [16], { name: 'big' });
  return makeModel({
    nodes: [
      makeNode('MatMul', ['x', 'W'], ['h0'], {}, 'mm'),
      makeNode('Add', ['h0', 'b'], ['h1'], {}, 'add'),
      makeNode('Mul', ['h1', 'g'], ['h2'], {}, 'mul'),
      makeNode('Sub', ['h2', 'c'], ['h3'], {}, 'sub'),
      makeNode('Mul', ['h3', 'g'], ['h4'], {}, 'mul2'),
      makeNode('Min', ['h4', 'big'], ['h5'], {}, 'min'),
      makeNode('Shape', ['h1'], ['s'], {}, 'shape'),
      makeNode('Reshape', ['h5', 's'], ['h6'], {}, 'reshape'),
      makeNode('Softmax', ['h6'], ['y'], { axis: { int: -1 } }, 'softmax'),
    ],
    inputs: [tensorValueInfo('x', FLOAT, [1, 16])],
    outputs: [tensorValueInfo('y', FLOAT, [1, 16])],
    initializers: [randomWeight('W', [16, 16], 21), randomWeight('b', [16], 22, 0.1), randomWeight('g', [16], 23), randomWeight('c', [16], 24), big],
  });
}

/** Nodes of any graph reading the output of a Cast in the same graph, when they are Casts themselves. */
export function castPairs(model: ModelProto): string[] {
  const pairs: string[] = [];
  for (const { graph } of walkGraphs(model.graph!)) {
    const casts = new Set(graph.node.filter((n) => n.op_type === 'Cast').flatMap((n) => n.output));
    for (const n of graph.node) if (n.op_type === 'Cast' && casts.has(n.input[0] ?? '')) pairs.push(`${n.name ?? ''} reads ${n.input[0] ?? ''}`);
  }
  return pairs;
}

/** value_info / output entries whose declared element type differs from the one the graph computes. */
export function typeMismatches(model: ModelProto): string[] {
  const types = inferElemTypes(model.graph!, opsetVersion(model, '') ?? 13);
  const wrong: string[] = [];
  for (const { graph } of walkGraphs(model.graph!)) {
    const inferred = types.get(graph)!;
    for (const vi of [...graph.value_info, ...graph.output]) {
      const declared = vi.type?.tensor_type?.elem_type;
      const actual = inferred.get(vi.name ?? '');
      if (declared !== undefined && actual !== undefined && actual !== 0 && declared !== actual) wrong.push(`${vi.name ?? ''}: declared ${declared}, computed ${actual}`);
    }
  }
  return wrong;
}

/** FLOAT initializers of every graph, by name. */
export function floatInitializers(model: ModelProto): string[] {
  const names: string[] = [];
  for (const { graph } of walkGraphs(model.graph!)) for (const t of graph.initializer) if (t.data_type === FLOAT) names.push(t.name ?? '');
  return names;
}

/** `to` of every Cast in the model, as element types. */
export function castTargets(model: ModelProto): number[] {
  const out: number[] = [];
  for (const { graph } of walkGraphs(model.graph!)) for (const n of graph.node) if (n.op_type === 'Cast') out.push(castTarget(n) ?? -1);
  return out;
}
