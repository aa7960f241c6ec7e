// Groups an EP's supported nodes into the partitions ORT would compile, the way its GetCapability helpers do
// (onnxruntime/core/providers/partitioning_utils.cc CreateSupportedPartitionNodeGroups, also mirrored by ORT's Python
// usability checker): walk the graph in topological order, grow one group as far as it can go, and hold back an
// unsupported node that consumes the group's output until the group closes.
import { consumerMap, nodeInputs, producerMap, type GraphProto, type NodeProto } from '../../onnx/index.js';

/** Each partition's nodes, in the order they joined it. */
export function supportedPartitions(graph: GraphProto, supported: (node: NodeProto) => boolean): NodeProto[][] {
  const producers = producerMap(graph);
  const consumersOf = consumerMap(graph);
  const next = new Map<NodeProto, NodeProto[]>();
  const inDegree = new Map<NodeProto, number>();
  for (const node of graph.node) {
    // edges between nodes, once per producer: what ORT's node in-degree counts
    const from = new Set(nodeInputs(node).map((n) => producers.get(n)).filter((p): p is NodeProto => p !== undefined && p !== node));
    inDegree.set(node, from.size);
    const outs = new Set(node.output.flatMap((o) => consumersOf.get(o) ?? []).filter((c) => c !== node));
    next.set(node, [...outs]);
  }
  const groups: NodeProto[][] = [];
  let group: NodeProto[] = [];
  let border = new Set<NodeProto>();
  let ready = graph.node.filter((n) => inDegree.get(n) === 0);
  let heldBack: NodeProto[] = [];
  const close = (): void => {
    if (group.length) groups.push(group);
    group = [];
    border = new Set();
  };
  while (ready.length || heldBack.length) {
    if (ready.length === 0) {
      close();
      [ready, heldBack] = [heldBack, []];
      continue;
    }
    const node = ready.shift()!;
    const ok = supported(node);
    if (!ok && border.has(node)) {
      heldBack.push(node);
      continue;
    }
    if (ok) {
      group.push(node);
      border.delete(node);
      for (const c of next.get(node)!) border.add(c);
    }
    for (const c of next.get(node)!) {
      const left = inDegree.get(c)! - 1;
      inDegree.set(c, left);
      if (left === 0) ready.push(c);
    }
  }
  close();
  return groups;
}
