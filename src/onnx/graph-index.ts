// Who produces and who consumes each tensor name, counting names that If/Loop/Scan bodies read from the outer scope.
import { subgraphsOf } from './graph-walk.js';
import type { GraphProto, NodeProto } from './model-types.js';

/** Names a graph defines itself: its inputs, initializers and node outputs. */
export function definedNames(graph: GraphProto): Set<string> {
  const names = new Set<string>();
  for (const vi of graph.input) if (vi.name) names.add(vi.name);
  for (const t of graph.initializer) if (t.name) names.add(t.name);
  for (const s of graph.sparse_initializer ?? []) if (s.values?.name) names.add(s.values.name);
  for (const node of graph.node) for (const out of node.output) if (out) names.add(out);
  return names;
}

/** Outer-scope names a (sub)graph reads: used by its nodes, nested bodies or outputs, but not defined in it. */
export function outerScopeNames(graph: GraphProto): string[] {
  const defined = definedNames(graph);
  const used = new Set<string>();
  for (const node of graph.node) for (const name of nodeInputs(node)) used.add(name);
  for (const vi of graph.output) if (vi.name) used.add(vi.name);
  // not cached: graphs are plain objects that callers may edit between calls
  return [...used].filter((name) => !defined.has(name));
}

/** Names a node's subgraphs read from the scope around the node (ONNX's "implicit inputs"). */
export function implicitInputs(node: NodeProto): string[] {
  const names = new Set<string>();
  for (const { graph } of subgraphsOf(node)) for (const name of outerScopeNames(graph)) names.add(name);
  for (const input of node.input) names.delete(input);
  return [...names];
}

/** Explicit inputs (without the '' placeholders of omitted optional inputs) followed by implicit ones. */
export function nodeInputs(node: NodeProto): string[] {
  const explicit = node.input.filter((name) => name !== '');
  const implicit = node.attribute.some((a) => a.g || a.graphs?.length) ? implicitInputs(node) : [];
  return implicit.length ? [...explicit, ...implicit] : explicit;
}

/** Output name → producing node, for the graph's own nodes. */
export function producerMap(graph: GraphProto): Map<string, NodeProto> {
  const map = new Map<string, NodeProto>();
  for (const node of graph.node) for (const out of node.output) if (out) map.set(out, node);
  return map;
}

/** Tensor name → nodes reading it (once per node, implicit subgraph reads included), in node order. */
export function consumerMap(graph: GraphProto): Map<string, NodeProto[]> {
  const map = new Map<string, NodeProto[]>();
  for (const node of graph.node) {
    for (const name of new Set(nodeInputs(node))) {
      const list = map.get(name);
      if (list) list.push(node);
      else map.set(name, [node]);
    }
  }
  return map;
}
