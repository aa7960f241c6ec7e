// Type and shape of a tensor name, from value_info / inputs / outputs, initializers or Constant nodes.
import { constantTensor } from './constant-weights.js';
import type { GraphProto, TypeProto, ValueInfoProto } from './model-types.js';

/** A dimension: a number, a symbolic name ('batch'), or null when unknown. */
export type Dim = number | string | null;

export interface TensorInfo {
  name: string;
  elemType?: number;
  /** undefined when the rank is unknown */
  shape?: Dim[];
  source: 'input' | 'output' | 'value_info' | 'initializer' | 'constant';
}

export function findValueInfo(graph: GraphProto, name: string): ValueInfoProto | undefined {
  for (const list of [graph.value_info, graph.input, graph.output]) {
    const found = list.find((vi) => vi.name === name);
    if (found) return found;
  }
  return undefined;
}

/** Dims of a tensor TypeProto; undefined for non-tensor types or an unknown rank. */
export function typeShape(type: TypeProto | undefined): Dim[] | undefined {
  const shape = (type?.tensor_type ?? type?.sparse_tensor_type)?.shape;
  if (!shape) return undefined;
  return shape.dim.map((d) => d.dim_value ?? d.dim_param ?? null);
}

function fromValueInfo(vi: ValueInfoProto, source: TensorInfo['source']): TensorInfo {
  const info: TensorInfo = { name: vi.name ?? '', source };
  const elemType = (vi.type?.tensor_type ?? vi.type?.sparse_tensor_type)?.elem_type;
  if (elemType !== undefined) info.elemType = elemType;
  const shape = typeShape(vi.type);
  if (shape) info.shape = shape;
  return info;
}

/**
 * What the graph knows about a tensor name: initializers and Constant nodes first (their dims are exact), then
 * value_info, inputs and outputs. `outer` graphs (innermost first) are searched next, for names a subgraph reads.
 */
export function tensorInfo(graph: GraphProto, name: string, outer: GraphProto[] = []): TensorInfo | undefined {
  for (const g of [graph, ...outer]) {
    const initializer = g.initializer.find((t) => t.name === name);
    if (initializer) return { name, elemType: initializer.data_type ?? 0, shape: [...initializer.dims], source: 'initializer' };
    for (const node of g.node) {
      if (node.output[0] !== name) continue;
      const tensor = constantTensor(node);
      if (tensor) return { name, elemType: tensor.data_type ?? 0, shape: [...tensor.dims], source: 'constant' };
    }
    for (const [list, source] of [[g.value_info, 'value_info'], [g.input, 'input'], [g.output, 'output']] as const) {
      const vi = list.find((v) => v.name === name);
      if (vi?.type) return fromValueInfo(vi, source);
    }
  }
  return undefined;
}
