// The float-in, float-out integer pattern ONNX Runtime fuses: DynamicQuantizeLinear → (MatMul|Conv)Integer → Cast → Mul(scales) → Add(bias).
import { DataType, type AttributeProto, type NodeProto } from '../../../../src/api.js';
import type { GraphScope } from '../graph-scope.js';
import type { WeightRef } from '../quantized-weights.js';

export interface IntegerChainSpec {
  /** the float node being replaced (its name seeds the new names; its first output is kept) */
  node: NodeProto;
  integerOp: 'MatMulInteger' | 'ConvInteger';
  activation: string;
  weight: WeightRef;
  /** the weight scale to multiply by (weight.scale, or a copy with a constant folded in) */
  weightScale: string;
  /** attributes of the integer op (ConvInteger takes Conv's geometry unchanged) */
  attributes?: AttributeProto[];
  /** a float tensor added to the result (broadcast), if any */
  bias?: string;
}

/**
 * Nodes computing the float node's output from integer arithmetic. The shape matches what ORT's CPU optimizer fuses
 * (MatMulIntegerToFloatFusion): the scale product is its own Mul node, each intermediate has one consumer, and the
 * bias, when constant, is the Add's second input. The DynamicQuantizeLinear comes first, only for its first user.
 */
export function integerChain(scope: GraphScope, spec: IntegerChainSpec): NodeProto[] {
  const { node } = spec;
  const base = node.name || node.output[0] || spec.integerOp;
  const output = node.output[0] ?? '';
  const nodes: NodeProto[] = [];
  const activation = scope.quantizeActivation(spec.activation);
  if (activation.node) nodes.push(activation.node);
  const q = activation.outputs;
  const integer = scope.names(`${base}_${spec.integerOp}_out`);
  const cast = scope.names(`${base}_cast_out`);
  const scale = scope.names(`${base}_scale_product`);
  const scaled = spec.bias ? scope.names(`${base}_scaled`) : output;
  const integerNode = scope.node(spec.integerOp, `${base}_${spec.integerOp}`, [q.data, spec.weight.data, q.zeroPoint, spec.weight.zeroPoint], [integer]);
  integerNode.attribute = (spec.attributes ?? []).map((a) => ({ ...a }));
  nodes.push(
    integerNode,
    scope.node('Cast', `${base}_cast`, [integer], [cast], [['to', { int: DataType.FLOAT }]]),
    scope.node('Mul', `${base}_scale_mul`, [q.scale, spec.weightScale], [scale]),
    scope.node('Mul', `${base}_output_mul`, [cast, scale], [scaled]),
  );
  if (spec.bias) nodes.push(scope.node('Add', `${base}_bias_add`, [scaled, spec.bias], [output]));
  return nodes;
}
