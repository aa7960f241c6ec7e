// Element types of every tensor in a graph (subgraphs included), propagated node by node from the op typing table.
import { attrInt, attrString, attrTensor, getAttribute } from './attributes.js';
import { constantTensor } from './constant-weights.js';
import { subgraphsOf } from './graph-walk.js';
import { DataType } from './model-types.js';
import type { GraphProto, NodeProto, ValueInfoProto } from './model-types.js';
import { normalizeDomain } from './opset.js';
import { opTyping, slotAt } from './op-typing.js';

/** A known element type; NOT_FLOAT_TYPE when the op fixes a non-float type this table does not spell out. */
export const NOT_FLOAT_TYPE = 0;

/** Inferred element types per graph: the model's main graph and every subgraph met on the way. */
export type GraphElemTypes = Map<GraphProto, Map<string, number>>;

const elemTypeOf = (vi: ValueInfoProto): number | undefined => vi.type?.tensor_type?.elem_type;

/** Ops whose output type an attribute names (with the type used when the attribute is absent; undefined: input 0's). */
const DTYPE_ATTRIBUTE: Record<string, [attribute: string, fallback: number | undefined]> = {
  RandomNormal: ['dtype', DataType.FLOAT], RandomUniform: ['dtype', DataType.FLOAT],
  RandomNormalLike: ['dtype', undefined], RandomUniformLike: ['dtype', undefined], EyeLike: ['dtype', undefined],
  Bernoulli: ['dtype', undefined], Multinomial: ['dtype', DataType.INT32],
  HannWindow: ['output_datatype', DataType.FLOAT], HammingWindow: ['output_datatype', DataType.FLOAT],
  BlackmanWindow: ['output_datatype', DataType.FLOAT], MelWeightMatrix: ['output_datatype', DataType.FLOAT],
};

type Lookup = (name: string) => number | undefined;

/** Cast's target type: an INT attribute, or before opset 6 a STRING naming the type ('FLOAT16'). */
export function castTarget(node: NodeProto): number | undefined {
  const named = getAttribute(node, 'to')?.s ? attrString(node, 'to') : undefined;
  if (named !== undefined) return (DataType as Record<string, number>)[named.toUpperCase()];
  return attrInt(node, 'to');
}

/** Output types of If/Loop/Scan, from their bodies (inferred first, so bodies see the outer scope's types). */
function controlFlowOutputs(node: NodeProto, lookup: Lookup, opset: number, into: GraphElemTypes): Array<number | undefined> {
  const bodies = subgraphsOf(node).map((s) => {
    inferGraph(s.graph, opset, lookup, into);
    const types = into.get(s.graph)!;
    return s.graph.output.map((o) => types.get(o.name ?? '') ?? elemTypeOf(o));
  });
  const body = bodies[0] ?? [];
  if (node.op_type === 'If') return node.output.map((_, i) => body[i] ?? bodies[1]?.[i]);
  if (node.op_type === 'Loop') {
    // outputs: final loop-carried values (typed like inputs 2..), then scan outputs (body outputs after cond + carried)
    const carried = Math.max(0, node.input.length - 2);
    return node.output.map((_, i) => (i < carried ? lookup(node.input[i + 2] ?? '') ?? body[i + 1] : body[i + 1]));
  }
  return node.output.map((_, i) => body[i]);
}

function outputTypes(node: NodeProto, lookup: Lookup, opset: number, into: GraphElemTypes): Array<number | undefined> {
  const op = node.op_type ?? '';
  const input = (i: number): number | undefined => lookup(node.input[i] ?? '');
  switch (op) {
    case 'Constant': return [constantTensor(node)?.data_type];
    case 'Cast': return [castTarget(node)];
    case 'CastLike': return [input(1)];
    case 'ConstantOfShape': return [attrTensor(node, 'value')?.data_type ?? DataType.FLOAT];
    case 'DynamicQuantizeLinear': return [DataType.UINT8, DataType.FLOAT, DataType.UINT8];
    case 'QuantizeLinear': return [input(2) ?? DataType.UINT8];
    case 'DequantizeLinear': return [opset >= 19 ? input(1) ?? DataType.FLOAT : DataType.FLOAT];
    case 'If': case 'Loop': case 'Scan': return controlFlowOutputs(node, lookup, opset, into);
    default: break;
  }
  const dtype = DTYPE_ATTRIBUTE[op];
  if (dtype) return [getAttribute(node, dtype[0]) ? attrInt(node, dtype[0]) : dtype[1] ?? input(0)];
  const typing = opTyping(op, opset);
  if (!typing?.tensorTyped) return node.output.map(() => undefined);
  const bound = new Map<string, number>();
  node.input.forEach((name, i) => {
    const slot = slotAt(typing.inputs, i);
    const type = name ? lookup(name) : undefined;
    if (slot?.kind === 'var' && slot.variadic !== 'heterogeneous' && type !== undefined && !bound.has(slot.name)) bound.set(slot.name, type);
  });
  return node.output.map((_, i) => {
    const slot = slotAt(typing.outputs, i);
    if (!slot) return undefined;
    if (slot.kind === 'float') return DataType.FLOAT;
    if (slot.kind === 'other') return NOT_FLOAT_TYPE;
    return bound.get(slot.name) ?? (typing.vars.has(slot.name) ? undefined : NOT_FLOAT_TYPE);
  });
}

function inferGraph(graph: GraphProto, opset: number, outer: Lookup | undefined, into: GraphElemTypes): void {
  const types = new Map<string, number>();
  into.set(graph, types);
  const declared = new Map<string, number>();
  for (const vi of [...graph.value_info, ...graph.output]) {
    const t = elemTypeOf(vi);
    if (vi.name && t !== undefined) declared.set(vi.name, t);
  }
  for (const vi of graph.input) {
    const t = elemTypeOf(vi);
    if (vi.name && t !== undefined) types.set(vi.name, t);
  }
  for (const t of graph.initializer) if (t.name && !types.has(t.name)) types.set(t.name, t.data_type ?? 0);
  const lookup: Lookup = (name) => types.get(name) ?? outer?.(name) ?? declared.get(name);
  for (const node of graph.node) {
    const known = normalizeDomain(node.domain) === '' ? outputTypes(node, lookup, opset, into) : [];
    node.output.forEach((name, i) => {
      const t = known[i] ?? declared.get(name);
      if (name && t !== undefined) types.set(name, t);
    });
    // bodies of nodes whose outputs came from elsewhere still get their own maps
    if (normalizeDomain(node.domain) !== '' || !['If', 'Loop', 'Scan'].includes(node.op_type ?? '')) {
      for (const s of subgraphsOf(node)) inferGraph(s.graph, opset, lookup, into);
    }
  }
}

/**
 * Element types of the tensors of `graph` and of its subgraphs (each graph gets its own map; a subgraph's map holds
 * what it defines, and lookups fall back to enclosing graphs). Propagation uses the op typing table; value_info is
 * the fallback for ops it cannot follow. A name missing from the maps has an unknown type.
 */
export function inferElemTypes(graph: GraphProto, opset: number, outer?: Lookup): GraphElemTypes {
  const into: GraphElemTypes = new Map();
  inferGraph(graph, opset, outer, into);
  return into;
}

