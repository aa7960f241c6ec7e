// Topological order of a graph's nodes (stable: ties keep file order), with implicit subgraph inputs as edges.
import { graphError } from './model-errors.js';
import { nodeInputs } from './graph-index.js';
import type { GraphProto, NodeProto } from './model-types.js';

/** Min-heap of node indexes, so ready nodes come out in their original order. */
class IndexHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(value: number): void {
    const a = this.items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as number) <= value) break;
      a[i] = a[parent] as number;
      i = parent;
    }
    a[i] = value;
  }
  pop(): number {
    const a = this.items;
    const top = a[0] as number;
    const last = a.pop() as number;
    if (a.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const child = r < a.length && (a[r] as number) < (a[l] as number) ? r : l;
      if ((a[child] as number) >= last) break;
      a[i] = a[child] as number;
      i = child;
    }
    a[i] = last;
    return top;
  }
}

/**
 * Returns the graph's nodes in an order where every node comes after the producers of its inputs. Names no node
 * produces (graph inputs, initializers, outer scope) are available from the start. A cycle is E_GRAPH_CYCLE.
 */
export function topologicalSort(graph: GraphProto): NodeProto[] {
  const nodes = graph.node;
  const producer = new Map<string, number>();
  nodes.forEach((node, index) => node.output.forEach((out) => out && producer.set(out, index)));
  const waiting = new Array<number>(nodes.length).fill(0);
  const dependents: number[][] = nodes.map(() => []);
  nodes.forEach((node, index) => {
    for (const name of new Set(nodeInputs(node))) {
      const from = producer.get(name);
      if (from === undefined || from === index) continue;
      waiting[index] = (waiting[index] as number) + 1;
      (dependents[from] as number[]).push(index);
    }
  });
  const ready = new IndexHeap();
  waiting.forEach((count, index) => count === 0 && ready.push(index));
  const order: NodeProto[] = [];
  while (ready.size > 0) {
    const index = ready.pop();
    order.push(nodes[index] as NodeProto);
    for (const next of dependents[index] as number[]) {
      waiting[next] = (waiting[next] as number) - 1;
      if (waiting[next] === 0) ready.push(next);
    }
  }
  if (order.length !== nodes.length) {
    const stuck = nodes.filter((_, i) => (waiting[i] as number) > 0).slice(0, 5);
    const names = stuck.map((n) => `${n.name || '(unnamed)'} (${n.op_type ?? '?'})`).join(', ');
    throw graphError('E_GRAPH_CYCLE',
      `Graph '${graph.name ?? ''}' has a cycle: ${nodes.length - order.length} nodes wait on each other, e.g. ${names}.`,
      'ONNX graphs must be acyclic; check the edit that produced this graph.');
  }
  return order;
}

/** Returns a copy of the graph with its nodes in topological order. */
export function sortGraph(graph: GraphProto): GraphProto {
  return { ...graph, node: topologicalSort(graph) };
}
