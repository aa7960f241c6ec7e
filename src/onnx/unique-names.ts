// Fresh tensor and node names that collide with nothing in a model (all graphs, subgraphs included).
import { modelGraphs, walkGraphs } from './graph-walk.js';
import type { GraphProto, ModelProto } from './model-types.js';

/** Every name used in `graphs`: tensors (inputs, outputs, value_info, initializers, node I/O) and node names. */
function collectNames(graphs: Iterable<{ graph: GraphProto }>): Set<string> {
  const names = new Set<string>();
  const add = (name: string | undefined): void => {
    if (name) names.add(name);
  };
  for (const { graph } of graphs) {
    for (const list of [graph.input, graph.output, graph.value_info]) for (const vi of list) add(vi.name);
    for (const t of graph.initializer) add(t.name);
    for (const s of graph.sparse_initializer ?? []) add(s.values?.name);
    for (const node of graph.node) {
      add(node.name);
      node.input.forEach(add);
      node.output.forEach(add);
    }
  }
  return names;
}

/** Returns `base` if unused, else `base_1`, `base_2`, ...; every returned name is reserved for later calls. */
export type NameGenerator = (base: string) => string;

/** A name generator over a model (or a single graph and its subgraphs). Names are unique across all scopes. */
export function createNameGenerator(source: ModelProto | GraphProto): NameGenerator {
  const used = 'node' in source ? collectNames(walkGraphs(source)) : collectNames(modelGraphs(source));
  const counters = new Map<string, number>();
  return (base: string): string => {
    let candidate = base;
    let n = counters.get(base) ?? 0;
    while (candidate === '' || used.has(candidate)) {
      n += 1;
      candidate = `${base}_${n}`;
    }
    counters.set(base, n);
    used.add(candidate);
    return candidate;
  };
}
