// Test support: small models built in code (a tiny MLP, a graph with Constant nodes, an If with nested bodies).
import {
  DataType, encodeTensor, makeAttribute, type GraphProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto,
} from '../../../src/onnx/index.js';

export const floatInfo = (name: string, dims: Array<number | string>, elemType: number = DataType.FLOAT): ValueInfoProto => ({
  name,
  type: {
    tensor_type: {
      elem_type: elemType,
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
    },
  },
});

export const node = (op_type: string, input: string[], output: string[], extra: Partial<NodeProto> = {}): NodeProto => ({
  op_type, input, output, attribute: [], name: `${op_type}_${output[0] ?? ''}`, ...extra,
});

export function graph(parts: Partial<GraphProto>): GraphProto {
  return { node: [], initializer: [], input: [], output: [], value_info: [], name: 'g', ...parts };
}

export function model(g: GraphProto, opset = 17): ModelProto {
  return { ir_version: 8, opset_import: [{ domain: '', version: opset }], producer_name: 'edgeopt-test', graph: g };
}

/** Deterministic weights: value i → ((i * 7919) % 1000) / 1000 - 0.5 */
export function weights(name: string, dims: number[]): TensorProto {
  const n = dims.reduce((a, b) => a * b, 1);
  return encodeTensor(Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5), dims, { name });
}

/** x[1,4] → MatMul(W1 4×8) → Add(b1) → Relu → MatMul(W2 8×2) → y[1,2] */
export function mlpModel(): ModelProto {
  return model(graph({
    node: [
      node('MatMul', ['x', 'W1'], ['h0']), node('Add', ['h0', 'b1'], ['h1']), node('Relu', ['h1'], ['h2']),
      node('MatMul', ['h2', 'W2'], ['y']),
    ],
    initializer: [weights('W1', [4, 8]), weights('b1', [8]), weights('W2', [8, 2])],
    input: [floatInfo('x', [1, 4])],
    output: [floatInfo('y', [1, 2])],
  }));
}

/** An If whose then-branch holds a Loop: bodies read 'x' and 'scale' from the outer scope. */
export function nestedIfModel(): ModelProto {
  const loopBody = graph({
    name: 'loop_body',
    input: [floatInfo('iter', [], DataType.INT64), floatInfo('cond_in', [], DataType.BOOL), floatInfo('acc_in', [2])],
    output: [{ name: 'cond_in' }, { name: 'acc_out' }],
    node: [node('Mul', ['acc_in', 'scale'], ['acc_out'])],
  });
  const thenBranch = graph({
    name: 'then',
    output: [{ name: 'then_out' }],
    node: [
      node('Loop', ['trip', '', 'x'], ['then_out'], { attribute: [makeAttribute('body', loopBody)] }),
    ],
  });
  // ORT refuses a body that returns an outer-scope value directly: it needs an Identity in between
  const elseBranch = graph({ name: 'else', output: [{ name: 'else_out' }], node: [node('Identity', ['x'], ['else_out'])] });
  return model(graph({
    node: [
      node('Constant', [], ['trip'], { attribute: [makeAttribute('value', encodeTensor(BigInt64Array.of(3n), []))] }),
      node('Constant', [], ['scale'], { attribute: [makeAttribute('value_float', 2)] }),
      node('ReduceSum', ['x'], ['s'], { attribute: [makeAttribute('keepdims', { int: 0 })] }),
      node('Greater', ['s', 'zero'], ['cond']),
      node('If', ['cond'], ['y'], { attribute: [makeAttribute('then_branch', thenBranch), makeAttribute('else_branch', elseBranch)] }),
    ],
    initializer: [encodeTensor(Float32Array.of(0), [], { name: 'zero' })],
    input: [floatInfo('x', [2])],
    output: [floatInfo('y', [2])],
  }));
}
