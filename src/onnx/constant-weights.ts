// Weights by name: graph initializers plus the tensors that `Constant` nodes hold (value, value_float(s), value_int(s)...).
import { DataType } from './model-types.js';
import type { GraphProto, NodeProto, TensorProto } from './model-types.js';

const isDefaultDomain = (domain: string | undefined): boolean => !domain || domain === 'ai.onnx';

export function isConstantNode(node: NodeProto): boolean {
  return node.op_type === 'Constant' && isDefaultDomain(node.domain);
}

/**
 * The tensor a Constant node produces, named after its output; undefined for sparse_value (not densified here) or
 * a node that is not a Constant. value_float(s) give FLOAT, value_int(s) INT64, value_string(s) STRING.
 */
export function constantTensor(node: NodeProto): TensorProto | undefined {
  if (!isConstantNode(node)) return undefined;
  const name = node.output[0] ?? '';
  for (const a of node.attribute) {
    switch (a.name) {
      case 'value':
        return a.t ? { ...a.t, name } : undefined;
      case 'value_float':
        return { name, dims: [], data_type: DataType.FLOAT, float_data: [a.f ?? 0] };
      case 'value_floats':
        return { name, dims: [a.floats?.length ?? 0], data_type: DataType.FLOAT, float_data: [...(a.floats ?? [])] };
      case 'value_int':
        return { name, dims: [], data_type: DataType.INT64, int64_data: [a.i ?? 0n] };
      case 'value_ints':
        return { name, dims: [a.ints?.length ?? 0], data_type: DataType.INT64, int64_data: [...(a.ints ?? [])] };
      case 'value_string':
        return { name, dims: [], data_type: DataType.STRING, string_data: a.s ? [a.s] : [new Uint8Array(0)] };
      case 'value_strings':
        return { name, dims: [a.strings?.length ?? 0], data_type: DataType.STRING, string_data: [...(a.strings ?? [])] };
      default:
        break;
    }
  }
  return undefined;
}

export interface InitializerMapOptions {
  /** include tensors of Constant nodes (default true); an initializer wins over a Constant of the same name */
  constants?: boolean;
}

/**
 * Name → tensor for the graph's initializers and (by default) its Constant nodes. Constant tensors are new objects
 * sharing the node's bytes; initializers are the graph's own objects. Subgraphs are not searched.
 */
export function initializerMap(graph: GraphProto, options: InitializerMapOptions = {}): Map<string, TensorProto> {
  const map = new Map<string, TensorProto>();
  if (options.constants ?? true) {
    for (const node of graph.node) {
      const tensor = constantTensor(node);
      if (tensor?.name) map.set(tensor.name, tensor);
    }
  }
  for (const tensor of graph.initializer) if (tensor.name) map.set(tensor.name, tensor);
  return map;
}

/**
 * Turns the Constant nodes of `graph` (not its subgraphs) whose tensor `keep` accepts into initializers of the same
 * name: the same value, but visible to passes that rewrite initializers and eligible for external data.
 * Returns how many were moved.
 */
export function hoistConstantNodes(graph: GraphProto, keep: (tensor: TensorProto) => boolean): number {
  const moved: TensorProto[] = [];
  graph.node = graph.node.filter((node) => {
    const tensor = constantTensor(node);
    if (!tensor || !keep(tensor)) return true;
    moved.push(tensor);
    return false;
  });
  graph.initializer.push(...moved);
  return moved.length;
}
