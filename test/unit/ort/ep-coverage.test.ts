// Static EP coverage on tiny graphs whose counts are worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { DataType, encodeTensor } from '../../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { coverageWarning, modelEpCoverage } from '../../../src/ort/ep-coverage/analyze.js';
import type { EpCoverage } from '../../../src/report/ep-coverage-schema.js';

const f = (name: string, dims = [1, 4]): ReturnType<typeof tensorValueInfo> => tensorValueInfo(name, DataType.FLOAT, dims);
const one = (eps: string[], m: Parameters<typeof modelEpCoverage>[0]): EpCoverage => modelEpCoverage(m, eps)[0]!;

/**
 * x → Relu(a) → Sigmoid(b) → HardSigmoid(c) → Tanh(d) → Add(a, d)(e) → Mul(e, k)(y), and a side branch Abs(a)(s) listed
 * last; k comes from a Constant node. NNAPI takes all but HardSigmoid; Constant is not a node once ORT loads the model.
 * ORT's grouping: Relu, Sigmoid, then Abs (ready, supported) join group 1; HardSigmoid consumes the group and is held
 * back; group 1 closes with 3 nodes; HardSigmoid runs; Tanh, Add, Mul form group 2. File-order runs would give [2, 4].
 */
function chain(): Parameters<typeof modelEpCoverage>[0] {
  return makeModel({
    nodes: [
      makeNode('Relu', ['x'], ['a']), makeNode('Sigmoid', ['a'], ['b']), makeNode('HardSigmoid', ['b'], ['c']),
      makeNode('Tanh', ['c'], ['d']), makeNode('Add', ['a', 'd'], ['e']),
      makeNode('Constant', [], ['k'], { value: encodeTensor(Float32Array.from([2]), [1]) }),
      makeNode('Mul', ['e', 'k'], ['y']), makeNode('Abs', ['a'], ['s']),
    ],
    inputs: [f('x')], outputs: [f('y'), f('s')],
  });
}

describe('static EP coverage', () => {
  it('counts nodes and groups partitions the way ORT does', () => {
    const c = one(['nnapi', 'cpu'], chain());
    expect(c).toMatchObject({ ep: 'nnapi', known: true, nodes: 7, supported: 6, partitions: 2, partition_sizes: [3, 3], subgraph_nodes: 0 });
    expect(c.unsupported).toEqual({ 'ai.onnx:HardSigmoid': 1 });
    // 2 partitions over 6/7 = 86% of the nodes: ORT's usability rule says "maybe", no warning
    expect(c.suitability).toBe('maybe');
    expect(coverageWarning(c)).toBeUndefined();
    expect(c.source?.files).toEqual(['tools/ci_build/github/android/nnapi_supported_ops.md']);
  });

  it('holds back every unsupported consumer of the open group; warns when the fallback dominates', () => {
    const m = chain();
    // HardSigmoid also between Sigmoid and the rest of the side branch: Abs(a) → HardSigmoid → Neg, Neg feeding y
    m.graph!.node.push(makeNode('HardSigmoid', ['s'], ['s2']), makeNode('Neg', ['s2'], ['s3']), makeNode('Add', ['y', 's3'], ['z']));
    m.graph!.output = [f('z')];
    const c = one(['nnapi'], m);
    // group 1: Relu, Sigmoid, Abs; both HardSigmoids held back; group 2: Tanh, Add, Mul, Neg, Add(z)
    expect(c).toMatchObject({ nodes: 10, supported: 8, partitions: 2, partition_sizes: [3, 5], suitability: 'maybe' });
    const lone = makeModel({ nodes: [makeNode('HardSigmoid', ['x'], ['a']), makeNode('Relu', ['a'], ['b']), makeNode('Erf', ['b'], ['y'])], inputs: [f('x')], outputs: [f('y')] });
    const poor = one(['nnapi'], lone);
    expect(poor).toMatchObject({ nodes: 3, supported: 1, partitions: 1, suitability: 'poor' });
    expect(coverageWarning(poor)).toMatch(/^nnapi would take 1 of 3 nodes \(33%\) in 1 partition\(s\): the CPU fallback would dominate.*not taken: HardSigmoid ×1, Erf ×1$/);
    // Relu, HardSigmoid, Relu, HardSigmoid, Relu: each Relu its own partition, 60% of the nodes in 3 partitions
    const zigzag = makeModel({
      nodes: ['Relu', 'HardSigmoid', 'Relu', 'HardSigmoid', 'Relu'].map((op, i) => makeNode(op, [i ? `t${i}` : 'x'], [i === 4 ? 'y' : `t${i + 1}`])),
      inputs: [f('x')], outputs: [f('y')],
    });
    expect(one(['coreml'], zigzag)).toMatchObject({ nodes: 5, supported: 3, partitions: 3, partition_sizes: [1, 1, 1], suitability: 'poor' });
  });

  it('applies dtype rules: NNAPI runs float32 and uint8 only; int8 QDQ and int64 math stay on the CPU', () => {
    const m = makeModel({
      nodes: [
        makeNode('Cast', ['x'], ['i'], { to: { int: DataType.INT64 } }), makeNode('Neg', ['i'], ['n']),
        makeNode('QuantizeLinear', ['x', 'sc', 'zp8'], ['q']), makeNode('DequantizeLinear', ['q', 'sc', 'zp8'], ['dq']),
        makeNode('Relu', ['dq'], ['y']),
      ],
      inputs: [f('x')], outputs: [tensorValueInfo('n', DataType.INT64, [1, 4]), f('y')],
      initializers: [encodeTensor(Float32Array.from([0.1]), [], { name: 'sc' }), encodeTensor(Int8Array.from([0]), [], { name: 'zp8' })],
    });
    const c = one(['nnapi'], m);
    expect(c.unsupported).toEqual({ 'ai.onnx:Neg (input not float32)': 1, 'ai.onnx:DequantizeLinear (only uint8 quantization)': 1 });
    expect(c.supported).toBe(3); // Cast, QuantizeLinear (float in), Relu (float out of DQ)
  });

  it('XNNPACK claims QDQ groups and fuses a Relu into its Conv; QNN HTP takes only the quantized part', () => {
    const m = makeModel({
      nodes: [
        makeNode('QuantizeLinear', ['x', 'sc', 'zp'], ['q']), makeNode('DequantizeLinear', ['q', 'sc', 'zp'], ['dq']),
        makeNode('Conv', ['dq', 'w'], ['c']), makeNode('Relu', ['c'], ['r']), makeNode('QuantizeLinear', ['r', 'sc', 'zp'], ['y']),
      ],
      inputs: [f('x', [1, 1, 4, 4])], outputs: [tensorValueInfo('y', DataType.UINT8, [1, 1, 4, 4])],
      initializers: [encodeTensor(Float32Array.from([0.1]), [], { name: 'sc' }), encodeTensor(Uint8Array.from([128]), [], { name: 'zp' }),
        encodeTensor(Float32Array.from([1]), [1, 1, 1, 1], { name: 'w' })],
    });
    const [xnn, qnn] = modelEpCoverage(m, ['xnnpack', 'qnn']);
    // xnnpack: Conv (kernel), DQ (feeds only Conv), Relu (fused), Q after Relu; the first Q has no taken producer
    expect(xnn).toMatchObject({ supported: 4, partitions: 1, unsupported: { 'ai.onnx:QuantizeLinear': 1 } });
    expect(xnn!.suitability).toBeUndefined(); // a CPU library: no device-copy rule
    // qnn: Q, DQ, Conv (input dequantized), Q; Relu reads the float Conv output outside a QDQ pair
    expect(qnn).toMatchObject({ supported: 4, unsupported: { 'ai.onnx:Relu (float, not in a QDQ group)': 1 } });
  });

  it('counts subgraph nodes as not taken, skips cpu, and says when it has no table', () => {
    const body = (out: string): Parameters<typeof makeModel>[0]['nodes'][number] => makeNode('Relu', ['x'], [out]);
    const branch = (out: string) => ({ node: [body(out)], name: out, initializer: [], input: [], output: [f(out)], value_info: [] });
    const m = makeModel({
      nodes: [makeNode('ReduceMax', ['x'], ['m']), makeNode('Cast', ['m'], ['cond'], { to: { int: DataType.BOOL } }),
        makeNode('If', ['cond'], ['y'], { then_branch: branch('t'), else_branch: branch('e') })],
      inputs: [f('x')], outputs: [f('y')],
    });
    const list = modelEpCoverage(m, ['openvino', 'nnapi', 'cpu']);
    expect(list.map((c) => c.ep)).toEqual(['openvino', 'nnapi']);
    expect(list[0]).toMatchObject({ known: false, note: expect.stringMatching(/no static op table for openvino/) });
    // ReduceMax (not in NNAPI's table), Cast (float in: taken), If; one Relu in each branch
    expect(list[1]).toMatchObject({ nodes: 5, supported: 1, subgraph_nodes: 2, partitions: 1 });
    expect(list[1]!.unsupported).toEqual({ 'ai.onnx:ReduceMax': 1, 'ai.onnx:If': 1, 'ai.onnx:Relu (in a subgraph)': 2 });
  });
});
