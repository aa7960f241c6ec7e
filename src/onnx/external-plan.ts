// Decides which initializers go to an external data file and rewrites them as references with aligned offsets.
import { DataLocation, DataType } from './model-types.js';
import type { AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto } from './model-types.js';
import { tensorByteLength } from './tensor-layout.js';
import { tensorRawBytes } from './tensor-raw.js';

export interface ExternalChunk {
  offset: number;
  bytes: Uint8Array;
}

export interface ExternalPlan {
  /** a structural copy of the model whose chosen initializers reference the data file (weights are shared, not copied) */
  model: ModelProto;
  chunks: ExternalChunk[];
  /** size of the data file */
  length: number;
  location: string;
}

export interface ExternalPlanOptions {
  /** file name of the data file, relative to the model's folder */
  location: string;
  /** initializers with at least this many bytes of data go external */
  threshold: number;
  /** each tensor's offset is a multiple of this (4096: pages, so runtimes can mmap) */
  alignment: number;
}

/** Initializer bytes eligible for the data file: fixed-width types only (STRING cannot be external). */
function eligibleBytes(tensor: TensorProto): number | undefined {
  if (tensor.data_type === DataType.STRING || tensor.data_location === DataLocation.EXTERNAL) return undefined;
  return tensorByteLength(tensor);
}

/** Returns a copy of `model` with initializers (of every graph, subgraphs included) moved to external data. */
export function planExternalData(model: ModelProto, options: ExternalPlanOptions): ExternalPlan {
  const chunks: ExternalChunk[] = [];
  let length = 0;
  const place = (tensor: TensorProto): TensorProto => {
    const size = eligibleBytes(tensor);
    if (size === undefined || size < options.threshold || size === 0) return tensor;
    const bytes = tensorRawBytes(tensor);
    const offset = Math.ceil(length / options.alignment) * options.alignment;
    chunks.push({ offset, bytes });
    length = offset + bytes.length;
    const { raw_data: _r, float_data: _f, int32_data: _i, int64_data: _l, double_data: _d, uint64_data: _u, ...header } = tensor;
    return {
      ...header,
      data_location: DataLocation.EXTERNAL,
      external_data: [
        { key: 'location', value: options.location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(bytes.length) },
      ],
    };
  };
  const rewriteGraph = (graph: GraphProto): GraphProto => ({
    ...graph,
    initializer: graph.initializer.map(place),
    node: graph.node.map(rewriteNode),
  });
  const rewriteAttribute = (attribute: AttributeProto): AttributeProto => {
    if (!attribute.g && !attribute.graphs?.length) return attribute;
    const copy: AttributeProto = { ...attribute };
    if (attribute.g) copy.g = rewriteGraph(attribute.g);
    if (attribute.graphs) copy.graphs = attribute.graphs.map(rewriteGraph);
    return copy;
  };
  const rewriteNode = (node: NodeProto): NodeProto => {
    if (!node.attribute.some((a) => a.g || a.graphs?.length)) return node;
    return { ...node, attribute: node.attribute.map(rewriteAttribute) };
  };
  const copy: ModelProto = { ...model };
  if (model.graph) copy.graph = rewriteGraph(model.graph);
  return { model: copy, chunks, length, location: options.location };
}
