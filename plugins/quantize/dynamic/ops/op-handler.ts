// The contract between the model pass and one op family's quantizer: plan a node (or say why not), then rewrite it.
import { DataType, dataTypeName, type NodeProto, type TensorProto } from '../../../../src/api.js';
import type { ConstantWeight, GraphScope } from '../graph-scope.js';
import type { WeightStore } from '../quantized-weights.js';

export interface HandlerContext {
  scope: GraphScope;
  weights: WeightStore;
}

/** Either why a node stays float, or how to rewrite it (apply returns the nodes that replace it, in order). */
export type NodePlan = { skip: string } | { apply: () => NodeProto[] };

export interface OpHandler {
  opType: string;
  /** default-domain opset the ops it writes need (DynamicQuantizeLinear: 11) */
  minOpset: number;
  /** shown once when the op type is requested, e.g. a known performance caveat */
  caveat?: string;
  /** must not modify the graph: the pass plans every node before it decides to touch the model */
  plan(node: NodeProto, ctx: HandlerContext): NodePlan;
}

export const skip = (reason: string): NodePlan => ({ skip: reason });

/** The node's constant float32 weight at input `index`, or a skip reason. */
export function floatWeight(node: NodeProto, index: number, ctx: HandlerContext): ConstantWeight | { skip: string } {
  const found = ctx.scope.constantWeight(node.input[index] ?? '');
  if ('reason' in found) return { skip: found.reason };
  const type = found.tensor.data_type ?? 0;
  if (type !== DataType.FLOAT) return { skip: `its weight '${found.tensor.name ?? ''}' is ${dataTypeName(type)} (only float32 weights are quantized)` };
  if (found.tensor.dims.some((d) => d === 0)) return { skip: `its weight '${found.tensor.name ?? ''}' is empty` };
  return found;
}

/** Why the activation input cannot go through DynamicQuantizeLinear (float32 only), if the model records its type. */
export function activationProblem(node: NodeProto, ctx: HandlerContext): string | undefined {
  const name = node.input[0] ?? '';
  if (!name) return 'it has no activation input';
  const type = ctx.scope.info(name)?.elemType;
  return type !== undefined && type !== DataType.FLOAT ? `its input '${name}' is ${dataTypeName(type)}, not float32` : undefined;
}

/** An optional float bias/C input: the constant tensor, a run-time tensor name, or nothing. */
export function optionalInput(node: NodeProto, index: number, ctx: HandlerContext): { constant?: TensorProto; name?: string } {
  const name = node.input[index] ?? '';
  if (!name) return {};
  const found = ctx.scope.constantWeight(name);
  return 'reason' in found ? { name } : { constant: found.tensor, name };
}
