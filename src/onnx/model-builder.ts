// Small constructors for building ONNX graphs in code (probe models, test models, new nodes in passes).
import { makeAttribute, type AttributeValue } from './attributes.js';
import type { GraphProto, ModelProto, NodeProto, TensorProto, ValueInfoProto } from './model-types.js';

export type DimSpec = number | string;

/** A tensor ValueInfoProto: element type (DataType value) and shape (numbers fixed, strings symbolic). */
export function tensorValueInfo(name: string, elemType: number, dims: DimSpec[]): ValueInfoProto {
  return {
    name,
    type: { tensor_type: { elem_type: elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } },
  };
}

export function makeNode(
  opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttributeValue> = {}, name?: string, domain?: string,
): NodeProto {
  const node: NodeProto = {
    input: inputs, output: outputs, op_type: opType,
    attribute: Object.entries(attrs).map(([k, v]) => makeAttribute(k, v)),
  };
  if (name) node.name = name;
  if (domain) node.domain = domain;
  return node;
}

export interface ModelSpec {
  nodes: NodeProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
  initializers?: TensorProto[];
  /** default-domain opset; other domains in `opsets` */
  opset?: number;
  opsets?: Record<string, number>;
  name?: string;
  irVersion?: number;
}

export function makeModel(spec: ModelSpec): ModelProto {
  const graph: GraphProto = {
    node: spec.nodes, name: spec.name ?? 'graph', initializer: spec.initializers ?? [],
    input: spec.inputs, output: spec.outputs, value_info: [],
  };
  const opsets = { '': spec.opset ?? 13, ...(spec.opsets ?? {}) };
  return {
    ir_version: spec.irVersion ?? 8,
    producer_name: 'edgeopt',
    opset_import: Object.entries(opsets).map(([domain, version]) => ({ domain, version })),
    graph,
  };
}
