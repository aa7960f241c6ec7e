// Pure graph edits (new objects, the input is not modified): expose intermediate tensors as outputs, drop dead code.
import { graphError } from './model-errors.js';
import { definedNames, nodeInputs } from './graph-index.js';
import { findValueInfo } from './value-info.js';
import type { AttributeProto, GraphProto, ModelProto, NodeProto, ValueInfoProto } from './model-types.js';

/**
 * Returns a model whose main graph also outputs `names` (ORT can fetch only graph outputs). Each new output copies
 * the tensor's value_info when the graph has one; otherwise it is a bare name, which ORT accepts.
 */
export function withGraphOutputs(model: ModelProto, names: string[]): ModelProto {
  const graph = model.graph;
  if (!graph) throw graphError('E_GRAPH_MISSING', 'The model has no graph.', 'Read the model with readModel.');
  const defined = definedNames(graph);
  const present = new Set(graph.output.map((o) => o.name));
  const added: ValueInfoProto[] = [];
  for (const name of names) {
    if (present.has(name)) continue;
    if (!defined.has(name)) {
      throw graphError('E_GRAPH_UNKNOWN_TENSOR',
        `Tensor '${name}' is not produced in the main graph of the model (not a node output, input or initializer).`,
        'Pick a name from the main graph; tensors inside If/Loop bodies cannot be graph outputs.');
    }
    const known = findValueInfo(graph, name);
    added.push(known?.type ? { name, type: known.type } : { name });
    present.add(name);
  }
  if (added.length === 0) return model;
  return { ...model, graph: { ...graph, output: [...graph.output, ...added] } };
}

export interface PruneResult {
  graph: GraphProto;
  removedNodes: number;
  removedInitializers: number;
}

function pruneAttribute(attribute: AttributeProto, counts: { nodes: number; initializers: number }): AttributeProto {
  if (!attribute.g && !attribute.graphs?.length) return attribute;
  const copy: AttributeProto = { ...attribute };
  const pruneInner = (g: GraphProto): GraphProto => {
    const inner = pruneGraph(g);
    counts.nodes += inner.removedNodes;
    counts.initializers += inner.removedInitializers;
    return inner.graph;
  };
  if (attribute.g) copy.g = pruneInner(attribute.g);
  if (attribute.graphs) copy.graphs = attribute.graphs.map(pruneInner);
  return copy;
}

/**
 * Removes nodes whose outputs reach no graph output, then initializers, sparse initializers and value_info nobody
 * reads. Graph inputs are kept (they are the interface), and so are initializers that are also inputs. Subgraphs
 * are pruned first, so a body that stops reading an outer tensor frees that tensor's producer too.
 */
export function pruneGraph(graph: GraphProto): PruneResult {
  const counts = { nodes: 0, initializers: 0 };
  const nodes: NodeProto[] = graph.node.map((node) =>
    node.attribute.some((a) => a.g || a.graphs?.length)
      ? { ...node, attribute: node.attribute.map((a) => pruneAttribute(a, counts)) }
      : node,
  );
  const needed = new Set<string>(graph.output.map((o) => o.name ?? ''));
  const keep = new Array<boolean>(nodes.length).fill(false);
  for (let i = nodes.length - 1; i >= 0; i--) {
    // walking backwards is enough for graphs in topological order; the fixpoint loop below covers the rest
    const node = nodes[i] as NodeProto;
    if (node.output.some((o) => needed.has(o))) {
      keep[i] = true;
      for (const name of nodeInputs(node)) needed.add(name);
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    nodes.forEach((node, i) => {
      if (keep[i] || !node.output.some((o) => needed.has(o))) return;
      keep[i] = changed = true;
      for (const name of nodeInputs(node)) needed.add(name);
    });
  }
  const kept = nodes.filter((_, i) => keep[i]);
  const inputs = new Set(graph.input.map((vi) => vi.name));
  const initializer = graph.initializer.filter((t) => needed.has(t.name ?? '') || inputs.has(t.name));
  const sparse = graph.sparse_initializer?.filter((s) => needed.has(s.values?.name ?? '') || inputs.has(s.values?.name));
  const alive = new Set([...needed, ...kept.flatMap((n) => n.output)]);
  const result: GraphProto = {
    ...graph,
    node: kept,
    initializer,
    value_info: graph.value_info.filter((vi) => alive.has(vi.name ?? '')),
  };
  if (sparse) result.sparse_initializer = sparse;
  counts.nodes += nodes.length - kept.length;
  counts.initializers += graph.initializer.length - initializer.length + (graph.sparse_initializer?.length ?? 0) - (sparse?.length ?? 0);
  return { graph: result, removedNodes: counts.nodes, removedInitializers: counts.initializers };
}

/** pruneGraph on the model's main graph. */
export function pruneModel(model: ModelProto): { model: ModelProto; removedNodes: number; removedInitializers: number } {
  if (!model.graph) return { model, removedNodes: 0, removedInitializers: 0 };
  const { graph, removedNodes, removedInitializers } = pruneGraph(model.graph);
  return { model: { ...model, graph }, removedNodes, removedInitializers };
}
