// Before calibration: BatchNormalization after a Conv folded into the Conv's weights and bias (as ORT's basic
// optimizer and every quantizer's pre-processing do), so the Conv's output is the tensor that gets quantized.
import {
  attrFloat, consumerMap, DataType, decodeTensor, encodeTensor, initializerMap, type ModelProto, type NameGenerator, type NodeProto, type TensorProto,
} from '../../../src/api.js';

/** The BN parameters as float32 vectors of length m, or undefined when any is not a constant float32 vector. */
function bnParams(bn: NodeProto, constants: Map<string, TensorProto>, m: number): Float32Array[] | undefined {
  const params = bn.input.slice(1, 5).map((name) => constants.get(name));
  if (params.length !== 4 || params.some((t) => !t || t.data_type !== DataType.FLOAT)) return undefined;
  const values = params.map((t) => decodeTensor(t!) as Float32Array);
  return values.every((v) => v.length === m) ? values : undefined;
}

/** Returns the model with every foldable Conv → BatchNormalization pair merged, and how many were folded. */
export function foldBatchNorms(model: ModelProto, names: NameGenerator): { model: ModelProto; folded: number } {
  const graph = model.graph!;
  const constants = initializerMap(graph);
  const consumers = consumerMap(graph);
  const outputs = new Set(graph.output.map((o) => o.name ?? ''));
  const replaced = new Map<NodeProto, NodeProto>();
  const removed = new Set<NodeProto>();
  const added: TensorProto[] = [];
  for (const conv of graph.node) {
    if (conv.op_type !== 'Conv' || (conv.domain ?? '') !== '') continue;
    const out = conv.output[0] ?? '';
    const users = consumers.get(out) ?? [];
    const bn = users[0];
    if (users.length !== 1 || !bn || bn.op_type !== 'BatchNormalization' || outputs.has(out) || bn.output.filter((o) => o).length !== 1) continue;
    const weight = constants.get(conv.input[1] ?? '');
    if (!weight || weight.data_type !== DataType.FLOAT || weight.dims.length < 3) continue;
    const m = weight.dims[0] as number;
    const params = bnParams(bn, constants, m);
    const bias = conv.input[2] ? constants.get(conv.input[2]) : undefined;
    if (!params || (conv.input[2] && (!bias || bias.data_type !== DataType.FLOAT))) continue;
    const [gamma, beta, mean, variance] = params as [Float32Array, Float32Array, Float32Array, Float32Array];
    const eps = attrFloat(bn, 'epsilon') ?? 1e-5;
    const w = Float32Array.from(decodeTensor(weight) as Float32Array);
    const b = bias ? Float32Array.from(decodeTensor(bias) as Float32Array) : new Float32Array(m);
    const per = w.length / m;
    for (let c = 0; c < m; c++) {
      const k = gamma[c]! / Math.sqrt(variance[c]! + eps);
      for (let i = c * per; i < (c + 1) * per; i++) w[i] = w[i]! * k;
      b[c] = (b[c]! - mean[c]!) * k + beta[c]!;
    }
    const wName = names(`${conv.input[1]}_bn_folded`);
    const bName = names(`${conv.name || 'Conv'}_bias_bn_folded`);
    added.push({ ...encodeTensor(w, [...weight.dims]), name: wName }, { ...encodeTensor(b, [m]), name: bName });
    replaced.set(conv, { ...conv, input: [conv.input[0]!, wName, bName], output: [bn.output[0]!] });
    removed.add(bn);
  }
  if (replaced.size === 0) return { model, folded: 0 };
  const node = graph.node.filter((n) => !removed.has(n)).map((n) => replaced.get(n) ?? n);
  return { model: { ...model, graph: { ...graph, node, initializer: [...graph.initializer, ...added] } }, folded: replaced.size };
}
