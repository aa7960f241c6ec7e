// The contract between the static QDQ pass and one op family: which inputs are activations, weights and biases, and
// how ORT treats the quantized op (a fused integer kernel, a data-movement op that needs equal scales, or a fold).
import { DataType, dataTypeName, type NodeProto, type TensorInfo, type TensorProto } from '../../../../src/api.js';
import type { ChannelLayout } from '../../weight-quant.js';

/**
 * compute: ORT replaces DQ → op → Q with an integer kernel (QLinearConv, QLinearAdd...); each tensor has its own scale.
 * shared: ORT drops the DQ/Q around a data-movement op (MaxPool, Reshape...) only when input and output share one
 *         scale and zero point, so the output takes the input's.
 * fold:   Relu/Clip after a quantized op disappears into that op's output quantization (its zero point clamps).
 */
export type StaticKind = 'compute' | 'shared' | 'fold';

export interface WeightSpec {
  input: number;
  /** how the float tensor is read for per-channel scales ([outer, channels, inner]) */
  layout: ChannelLayout;
  /** DequantizeLinear's axis for per-channel scales */
  axis: number;
  /** multiplied into the float weight before quantizing (Gemm's alpha) */
  factor?: number;
}

export interface BiasSpec {
  input: number;
  /** multiplied into the float bias before quantizing (Gemm's beta) */
  factor?: number;
}

export interface StaticPlan {
  /** inputs that are float activations (a constant there is quantized like an activation, with its own range) */
  activations: number[];
  weight?: WeightSpec;
  /** int32 bias with scale = activation scale × weight scale (per channel), zero point 0 */
  bias?: BiasSpec;
  /** the node as written into the quantized graph, e.g. Gemm with alpha and beta folded away */
  rewrite?(node: NodeProto): NodeProto;
}

export interface StaticHandlerContext {
  /** the constant tensor behind a name (initializer or Constant node of the main graph) */
  constant(name: string): TensorProto | undefined;
  info(name: string): TensorInfo | undefined;
}

export interface StaticOpHandler {
  opTypes: readonly string[];
  kind: StaticKind;
  /** quantize the output even when it is a graph output (the fused kernel needs its Q); otherwise such nodes stay float */
  quantizeGraphOutput?: boolean;
  plan(node: NodeProto, ctx: StaticHandlerContext): StaticPlan | { skip: string };
  /** fold only: the interval the op clamps to */
  clampRange?(node: NodeProto, ctx: StaticHandlerContext): { lo: number; hi: number } | undefined;
}

export const skip = (reason: string): { skip: string } => ({ skip: reason });

/** Why the node's input `index` cannot be an activation (float32 only), if the model records its type. */
export function floatProblem(node: NodeProto, index: number, ctx: StaticHandlerContext): string | undefined {
  const name = node.input[index] ?? '';
  if (!name) return `input ${index} is missing`;
  const type = ctx.info(name)?.elemType;
  return type !== undefined && type !== DataType.FLOAT ? `its input '${name}' is ${dataTypeName(type)}, not float32` : undefined;
}

/** The constant float32 weight at input `index`, or why there is none. */
export function constantWeight(node: NodeProto, index: number, ctx: StaticHandlerContext): TensorProto | { skip: string } {
  const name = node.input[index] ?? '';
  const tensor = ctx.constant(name);
  if (!tensor) return skip(`its weight '${name}' is not a constant (computed at run time or a graph input)`);
  if ((tensor.data_type ?? 0) !== DataType.FLOAT) return skip(`its weight '${name}' is ${dataTypeName(tensor.data_type ?? 0)} (only float32 weights are quantized)`);
  if (tensor.dims.some((d) => d === 0)) return skip(`its weight '${name}' is empty`);
  return tensor;
}

/** A plan whose activations are the listed inputs, once each is float32; otherwise the first problem as a skip. */
export function activationPlan(node: NodeProto, inputs: number[], ctx: StaticHandlerContext): StaticPlan | { skip: string } {
  for (const i of inputs) {
    const problem = floatProblem(node, i, ctx);
    if (problem) return skip(problem);
  }
  return { activations: inputs };
}
