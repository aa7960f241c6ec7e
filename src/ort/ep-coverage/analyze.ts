// Static EP coverage of a model: for each requested EP with an op table, how many nodes it would take and into how
// many partitions the graph would split, judged with ORT's own usability rule (the NNAPI "53 of 87 nodes" trap).
import { consumerMap, producerMap, readModel, walkGraphs, type GraphProto, type ModelProto, type NodeProto } from '../../onnx/index.js';
import type { EpCoverage } from '../../report/ep-coverage-schema.js';
import { opKey, type EpOpTable, type NodeFacts } from './op-table.js';
import { supportedPartitions } from './partition.js';
import { EP_TABLES } from './tables.js';
import { elementTypes } from './tensor-types.js';

/** Constant nodes become initializers when ORT loads a model (even with optimizations off), so they are never partitioned. */
const withoutConstants = (g: GraphProto): GraphProto => ({ ...g, node: g.node.filter((n) => n.op_type !== 'Constant') });

function takenNodes(graph: GraphProto, table: EpOpTable, types: ReadonlyMap<string, number>): { taken: Set<NodeProto>; why: Map<NodeProto, string> } {
  const producers = producerMap(graph);
  const consumers = consumerMap(graph);
  const taken = new Set<NodeProto>();
  const why = new Map<NodeProto, string>();
  for (const node of graph.node) {
    if (!(opKey(node) in table.ops)) continue;
    const facts: NodeFacts = {
      node,
      inputType: (i) => (node.input[i] ? types.get(node.input[i]!) : undefined),
      producerOp: (i) => (node.input[i] ? producers.get(node.input[i]!)?.op_type : undefined),
    };
    const reason = table.dtypeRule(facts);
    if (reason) why.set(node, reason);
    else taken.add(node);
  }
  const readers = (n: NodeProto): NodeProto[] => n.output.flatMap((o) => consumers.get(o) ?? []);
  const source = (n: NodeProto): NodeProto | undefined => (n.input[0] ? producers.get(n.input[0]) : undefined);
  for (const node of graph.node) {
    if (taken.has(node)) continue;
    const op = node.op_type ?? '';
    const from = source(node);
    const inUnit = table.qdqUnits && ((op === 'DequantizeLinear' && readers(node).length > 0 && readers(node).every((c) => taken.has(c)))
      || (op === 'QuantizeLinear' && from !== undefined && taken.has(from)));
    const fused = table.fuses?.activations.has(op) && from !== undefined && taken.has(from) && table.fuses.into.has(from.op_type ?? '')
      && readers(from).length === 1;
    if (inUnit || fused) {
      taken.add(node);
      why.delete(node);
    }
  }
  return { taken, why };
}

/** ORT's usability checker rule (tools/python/util/mobile_helpers/usability_checker.py, PartitioningInfo.suitability). */
function suitability(partitions: number, share: number): NonNullable<EpCoverage['suitability']> {
  if (partitions === 0) return 'none';
  if (partitions === 1) return share > 0.75 ? 'good' : share > 0.5 ? 'maybe' : 'poor';
  if (partitions === 2) return share > 0.75 ? 'maybe' : 'poor';
  return 'poor';
}

function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

export function coverageForEp(model: ModelProto, table: EpOpTable): EpCoverage {
  const graph = withoutConstants(model.graph!);
  const { taken, why } = takenNodes(graph, table, elementTypes(model.graph!));
  const unsupported: Record<string, number> = {};
  for (const node of graph.node) {
    if (taken.has(node)) continue;
    const reason = why.get(node);
    count(unsupported, reason ? `${opKey(node)} (${reason})` : opKey(node));
  }
  let subgraphNodes = 0;
  for (const visit of walkGraphs(model.graph!)) {
    if (visit.depth === 0) continue;
    for (const node of visit.graph.node) {
      if (node.op_type === 'Constant') continue;
      subgraphNodes++;
      count(unsupported, `${opKey(node)} (in a subgraph)`);
    }
  }
  const partitions = supportedPartitions(graph, (n) => taken.has(n));
  const nodes = graph.node.length + subgraphNodes;
  const usedOps = new Set([...taken].map(opKey));
  const caveats = [...usedOps].sort().filter((k) => table.ops[k]).map((k) => `${k}: ${table.ops[k]}`);
  const out: EpCoverage = {
    ep: table.ep, known: true, source: table.source, nodes, supported: taken.size, partitions: partitions.length,
    partition_sizes: partitions.map((p) => p.length), subgraph_nodes: subgraphNodes, unsupported,
  };
  if (table.device) out.suitability = suitability(partitions.length, nodes ? taken.size / nodes : 0);
  else out.note = 'runs on the CPU: partition boundaries cost no device copy';
  if (caveats.length) out.caveats = caveats;
  return out;
}

/** Coverage for each EP of the preference list but cpu (the fallback that takes everything). */
export function modelEpCoverage(model: ModelProto, eps: readonly string[]): EpCoverage[] {
  return eps.filter((ep) => ep !== 'cpu').map((ep) => {
    const table = EP_TABLES.get(ep);
    if (!table) return { ep, known: false, note: `edgeopt has no static op table for ${ep} (it has: ${[...EP_TABLES.keys()].join(', ')})` };
    return coverageForEp(model, table);
  });
}

export async function epCoverage(modelPath: string, eps: readonly string[]): Promise<EpCoverage[]> {
  if (!eps.some((ep) => ep !== 'cpu')) return [];
  // the graph is all that is needed: external weights stay where they are
  return modelEpCoverage(await readModel(modelPath, { externalData: 'keep' }), eps);
}

/** The warning for an EP whose fallback would dominate (ORT's rule says poor or none), naming what it cannot take. */
export function coverageWarning(c: EpCoverage): string | undefined {
  if (!c.known || (c.suitability !== 'poor' && c.suitability !== 'none')) return undefined;
  const pct = c.nodes ? Math.round((100 * (c.supported ?? 0)) / c.nodes) : 0;
  const top = Object.entries(c.unsupported ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, n]) => `${k.replace(/^ai\.onnx:/, '')} ×${n}`);
  if (c.partitions === 0) return `${c.ep} would take none of the ${c.nodes} nodes: all of them would run on the CPU fallback; not taken: ${top.join(', ')}`;
  return `${c.ep} would take ${c.supported} of ${c.nodes} nodes (${pct}%) in ${c.partitions} partition(s): the CPU fallback would dominate, `
    + `and copies between partitions often make such a split slower than cpu alone (ORT's rule: one partition over 75% of the nodes); not taken: ${top.join(', ')}`;
}
