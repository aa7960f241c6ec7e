// Weights held in Constant nodes (every value_* form) appear in initializerMap next to the initializers.
import { describe, expect, it } from 'vitest';
import {
  constantTensor, DataType, decodeModelBytes, decodeTensor, encodeModel, encodeTensor, initializerMap, makeAttribute,
} from '../../../src/onnx/index.js';
import { graph, model, node, weights } from './model-fixtures.js';

const constants = [
  node('Constant', [], ['t'], { attribute: [makeAttribute('value', encodeTensor(Float32Array.of(1, 2, 3, 4), [2, 2]))] }),
  node('Constant', [], ['f'], { attribute: [makeAttribute('value_float', 0.5)] }),
  node('Constant', [], ['fs'], { attribute: [makeAttribute('value_floats', { floats: [1.5, -2] })] }),
  node('Constant', [], ['i'], { attribute: [makeAttribute('value_int', { int: -7 })] }),
  node('Constant', [], ['is'], { attribute: [makeAttribute('value_ints', { ints: [2n ** 62n, 3] })] }),
  node('Constant', [], ['s'], { attribute: [makeAttribute('value_string', 'hello')] }),
  node('Constant', [], ['ss'], { attribute: [makeAttribute('value_strings', { strings: ['a', 'b'] })] }),
  node('Relu', ['t'], ['r']),
];

describe('Constant-node weights', () => {
  // through a protobuf round trip, so the attributes are what a real file would hold
  const g = decodeModelBytes(encodeModel(model(graph({ node: constants, initializer: [weights('W', [3])] })))).graph!;

  it('initializerMap holds initializers and every Constant form with the right type, dims and values', () => {
    const map = initializerMap(g);
    expect([...map.keys()].sort()).toEqual(['W', 'f', 'fs', 'i', 'is', 's', 'ss', 't']);
    const value = (name: string): unknown[] => [...(decodeTensor(map.get(name)!) as Iterable<unknown>)];
    expect([map.get('t')!.dims, value('t')]).toEqual([[2, 2], [1, 2, 3, 4]]);
    expect([map.get('f')!.dims, map.get('f')!.data_type, value('f')]).toEqual([[], DataType.FLOAT, [0.5]]);
    expect([map.get('fs')!.dims, value('fs')]).toEqual([[2], [1.5, -2]]);
    expect([map.get('i')!.data_type, value('i')]).toEqual([DataType.INT64, [-7n]]);
    expect(value('is')).toEqual([2n ** 62n, 3n]);
    expect([value('s'), value('ss')]).toEqual([['hello'], ['a', 'b']]);
    expect(map.get('W')).toBe(g.initializer[0]);
  });

  it('names Constant tensors after the node output and leaves the node untouched', () => {
    const t = constantTensor(g.node[0]!)!;
    expect(t.name).toBe('t');
    expect(g.node[0]!.attribute[0]!.t!.name).toBeUndefined();
    expect(constantTensor(g.node[7]!)).toBeUndefined();
  });

  it('can leave Constant nodes out, and lets an initializer win a name clash', () => {
    expect([...initializerMap(g, { constants: false }).keys()]).toEqual(['W']);
    const clash = { ...g, initializer: [weights('t', [1])] };
    expect(initializerMap(clash).get('t')!.dims).toEqual([1]);
  });

  it('ignores a Constant of another domain', () => {
    const foreign = node('Constant', [], ['x'], { domain: 'com.example', attribute: [makeAttribute('value_float', 1)] });
    expect(constantTensor(foreign)).toBeUndefined();
  });
});
