// Iteration over nested graphs (If/Loop/Scan bodies live in node attributes) and over every tensor a model holds.
import type { AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto } from './model-types.js';

export interface SubgraphRef {
  /** attribute name, e.g. then_branch, else_branch, body */
  attribute: string;
  graph: GraphProto;
}

export interface GraphVisit {
  graph: GraphProto;
  /** the node whose attribute holds this graph; undefined for the root */
  owner?: NodeProto;
  /** the graph that contains `owner` */
  parent?: GraphProto;
  depth: number;
  /** readable place, e.g. `main/If_0.then_branch` */
  path: string;
}

/** Graphs held by a node's attributes (GRAPH and GRAPHS), in attribute order. */
export function subgraphsOf(node: NodeProto): SubgraphRef[] {
  const found: SubgraphRef[] = [];
  for (const attribute of node.attribute) {
    const name = attribute.name ?? '';
    if (attribute.g) found.push({ attribute: name, graph: attribute.g });
    for (const graph of attribute.graphs ?? []) found.push({ attribute: name, graph });
  }
  return found;
}

function nodeLabel(node: NodeProto, index: number): string {
  return node.name ? node.name : `${node.op_type ?? 'node'}#${index}`;
}

/** Pre-order walk: `root` first, then each subgraph (and theirs), in node order. */
export function* walkGraphs(root: GraphProto, rootPath = root.name || 'main'): Generator<GraphVisit> {
  const stack: GraphVisit[] = [{ graph: root, depth: 0, path: rootPath }];
  while (stack.length > 0) {
    const visit = stack.pop() as GraphVisit;
    yield visit;
    const children: GraphVisit[] = [];
    visit.graph.node.forEach((node, index) => {
      for (const sub of subgraphsOf(node)) {
        children.push({
          graph: sub.graph, owner: node, parent: visit.graph, depth: visit.depth + 1,
          path: `${visit.path}/${nodeLabel(node, index)}.${sub.attribute}`,
        });
      }
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as GraphVisit);
  }
}

/** Every node of `root` and of its subgraphs, with the graph that directly contains it. */
export function* walkNodes(root: GraphProto): Generator<{ node: NodeProto; graph: GraphProto; path: string }> {
  for (const visit of walkGraphs(root)) {
    for (const node of visit.graph.node) yield { node, graph: visit.graph, path: visit.path };
  }
}

/** Every graph of a model: the main graph, graphs inside nodes of functions, and training-info graphs. */
export function* modelGraphs(model: ModelProto): Generator<GraphVisit> {
  if (model.graph) yield* walkGraphs(model.graph);
  for (const fn of model.functions ?? []) {
    for (const node of fn.node) {
      for (const sub of subgraphsOf(node)) yield* walkGraphs(sub.graph, `function ${fn.name ?? ''}.${sub.attribute}`);
    }
  }
  for (const [index, info] of (model.training_info ?? []).entries()) {
    if (info.initialization) yield* walkGraphs(info.initialization, `training_info[${index}].initialization`);
    if (info.algorithm) yield* walkGraphs(info.algorithm, `training_info[${index}].algorithm`);
  }
}

function attributeTensors(attribute: AttributeProto): TensorProto[] {
  const found: TensorProto[] = [];
  if (attribute.t) found.push(attribute.t);
  found.push(...(attribute.tensors ?? []));
  for (const sparse of [attribute.sparse_tensor, ...(attribute.sparse_tensors ?? [])]) {
    if (sparse?.values) found.push(sparse.values);
    if (sparse?.indices) found.push(sparse.indices);
  }
  return found;
}

/** Calls `visit` for every tensor stored anywhere in the model (initializers, sparse parts, attribute tensors). */
export function forEachTensor(model: ModelProto, visit: (tensor: TensorProto, path: string) => void): void {
  const visitNodes = (nodes: NodeProto[], path: string): void => {
    for (const node of nodes) {
      for (const attribute of node.attribute) {
        for (const tensor of attributeTensors(attribute)) visit(tensor, `${path}/${node.name ?? ''}.${attribute.name ?? ''}`);
      }
    }
  };
  for (const { graph, path } of modelGraphs(model)) {
    for (const tensor of graph.initializer) visit(tensor, path);
    for (const sparse of graph.sparse_initializer ?? []) {
      if (sparse.values) visit(sparse.values, path);
      if (sparse.indices) visit(sparse.indices, path);
    }
    visitNodes(graph.node, path);
  }
  for (const fn of model.functions ?? []) {
    visitNodes(fn.node, `function ${fn.name ?? ''}`);
    for (const attribute of fn.attribute_proto ?? []) {
      for (const tensor of attributeTensors(attribute)) visit(tensor, `function ${fn.name ?? ''}`);
    }
  }
}

