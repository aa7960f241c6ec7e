// Element-type inference and Cast folding on hand-built graphs (no ORT).
import { describe, expect, it } from 'vitest';
import { castIsExact, foldCasts } from '../../../src/onnx/cast-fold.js';
import { DataType } from '../../../src/onnx/model-types.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { pruneModel } from '../../../src/onnx/graph-edit.js';
import { encodeTensor } from '../../../src/onnx/tensor-codec.js';
import { inferElemTypes } from '../../../src/onnx/type-inference.js';

const F = DataType.FLOAT;
const H = DataType.FLOAT16;
const cast = (input: string, output: string, to: number, name = output) => makeNode('Cast', [input], [output], { to: { int: to } }, name);

describe('element type inference', () => {
  it('follows type variables, fixed slots, Cast targets, and If bodies into the outer graph', () => {
    const branch = (name: string) => ({
      name, node: [makeNode('Mul', ['h', 'h'], [`${name}_y`])], initializer: [], input: [], output: [{ name: `${name}_y` }], value_info: [],
    });
    const model = makeModel({
      nodes: [
        cast('x', 'h', H),
        makeNode('Shape', ['h'], ['s']),
        makeNode('Resize', ['h', '', 'scales'], ['r']),
        makeNode('LayerNormalization', ['h', 'g', 'g'], ['ln', 'mean', 'inv'], {}, 'ln'),
        makeNode('Greater', ['h', 'h'], ['c']),
        makeNode('If', ['c0'], ['out'], { then_branch: branch('t'), else_branch: branch('e') }),
      ],
      opset: 17,
      inputs: [tensorValueInfo('x', F, [2]), tensorValueInfo('c0', DataType.BOOL, [])],
      outputs: [tensorValueInfo('out', F, [2])],
      initializers: [encodeTensor(Float32Array.of(1, 1), [2], { name: 'scales' }), encodeTensor(new Uint16Array(2), [2], { name: 'g', dataType: H })],
    });
    const types = inferElemTypes(model.graph!, 17);
    const main = types.get(model.graph!)!;
    // Shape's and Greater's outputs are known not to be float (0); LayerNorm's mean has an attribute-typed var: unknown
    expect(Object.fromEntries(['h', 's', 'r', 'ln', 'mean', 'c', 'out'].map((n) => [n, main.get(n)]))).toEqual({
      h: H, s: 0, r: H, ln: H, mean: undefined, c: 0, out: H,
    });
    const then = model.graph!.node[5]!.attribute[0]!.g!;
    expect(types.get(then)!.get('t_y')).toBe(H);
  });
});

describe('Cast folding', () => {
  it('knows which casts keep every value', () => {
    expect([castIsExact(H, F), castIsExact(F, H), castIsExact(DataType.INT8, H), castIsExact(DataType.INT32, F)]).toEqual([true, false, true, false]);
  });

  it('reads through an exact middle type, drops no-op casts, and leaves lossy chains and graph outputs alone', () => {
    const model = makeModel({
      nodes: [
        cast('x', 'a', F, 'widen'), cast('a', 'b', H, 'back'), makeNode('Relu', ['b'], ['y1']),
        cast('f', 'n', H, 'narrow'), cast('n', 'w', F, 'rewiden'), makeNode('Relu', ['w'], ['y2']),
        cast('x', 'y3', H, 'noop_output'),
      ],
      inputs: [tensorValueInfo('x', H, [2]), tensorValueInfo('f', F, [2])],
      outputs: [tensorValueInfo('y1', H, [2]), tensorValueInfo('y2', F, [2]), tensorValueInfo('y3', H, [2])],
    });
    const result = foldCasts(model);
    const pruned = pruneModel(model).model.graph!;
    // x→float→fp16 is x itself: both casts go; fp32→fp16→fp32 rounds, so it stays; a graph output keeps its Cast
    expect(pruned.node.map((n) => `${n.name ?? n.op_type}:${n.input.join(',')}`)).toEqual(['Relu:x', 'narrow:f', 'rewiden:n', 'Relu:w', 'noop_output:x']);
    expect(result).toEqual({ rewired: 1, removed: 1 });
  });
});
