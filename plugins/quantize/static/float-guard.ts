// Keeps a float Conv/ConvTranspose/Gemm float inside a quantized graph. ONNX Runtime (WeightBiasQuantization, in
// qdq_transformer/weight_bias_quantization.cc) quantizes such a node itself, per tensor, when it reads a DequantizeLinear
// with a scalar scale and its output runs straight into a QuantizeLinear: an excluded or mixed-precision node would be
// quantized after all, more coarsely than ours. A DequantizeLinear with one scale per input channel (all equal, so the
// values are the same) is not scalar, and ORT leaves the node alone.
import { attrInt, type NodeProto, type TensorProto } from '../../../src/api.js';

export interface GuardAxis {
  axis: number;
  channels: number;
}

/** Axis and size of the activation's channel dimension, for the node types ORT would quantize; else undefined. */
export function floatGuardAxis(node: NodeProto, constant: (name: string) => TensorProto | undefined): GuardAxis | undefined {
  const weight = constant(node.input[1] ?? '');
  if (!weight || weight.dims.length < 2) return undefined;
  const dims = weight.dims as number[];
  let guard: GuardAxis | undefined;
  if (node.op_type === 'Conv') guard = { axis: 1, channels: dims[1]! * (attrInt(node, 'group') ?? 1) };
  else if (node.op_type === 'ConvTranspose') guard = { axis: 1, channels: dims[0]! };
  else if (node.op_type === 'Gemm') {
    const k = (attrInt(node, 'transB') ?? 0) ? dims[1]! : dims[0]!;
    guard = { axis: (attrInt(node, 'transA') ?? 0) ? 0 : 1, channels: k };
  }
  // a single channel's scale looks scalar to ORT: nothing to guard with
  return guard && guard.channels > 1 ? guard : undefined;
}
