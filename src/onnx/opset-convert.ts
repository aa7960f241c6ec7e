// Raises a model's default-domain opset by converting the few operators whose attributes changed (Clip, Slice, TopK, Pad, Gemm).
import { attrFloat, attrInt, attrInts } from './attributes.js';
import { graphError } from './model-errors.js';
import { subgraphsOf } from './graph-walk.js';
import { createNameGenerator, type NameGenerator } from './unique-names.js';
import { encodeTensor } from './tensor-codec.js';
import { tensorInfo } from './value-info.js';
import { normalizeDomain, opsetVersion, withOpsetImport } from './opset.js';
import { OP_SCHEMA_VERSIONS } from './opset-history.js';
import { DataType } from './model-types.js';
import type { AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto } from './model-types.js';

// Schema changes after which a node written for the older version means exactly the same thing (new types, new
// optional attributes with the old behaviour as default, negative axes). Taken from onnx 1.12's version converter:
// the upward CompatibleAdapter registrations in onnx/version_converter/convert.h.
const COMPATIBLE =
  'Abs:13 Add:13,14 ArgMax:11,12,13 ArgMin:11,12,13 AveragePool:7,10,11 BatchNormalization:12,15 Cast:9,13 Ceil:13 ' +
  'Clip:12,13 Compress:11 Concat:11,13 Constant:9,11,12,13 Conv:11 ConvTranspose:11 CumSum:14 DepthToSpace:11,13 ' +
  'DequantizeLinear:13 Div:13,14 Dropout:10,13 Equal:11,13 Erf:13 Exp:13 Expand:13 Flatten:9,11,13 Floor:13 Gather:11,13 ' +
  'GatherElements:13 GatherND:12,13 Gemm:6,9,11,13 Greater:9,13 GreaterOrEqual:16 Hardmax:11,13 Identity:13,14,16 ' +
  'If:11,13,16 IsNaN:13 LRN:13 LeakyRelu:16 Less:9,13 LessOrEqual:16 Log:13 LogSoftmax:11 Loop:11,13,16 LpPool:11 ' +
  'MatMul:9,13 Max:8,12,13 MaxPool:8,10,11,12 MaxUnpool:11 Mean:8,13 MeanVarianceNormalization:13 Min:8,12,13 Mod:13 ' +
  'Mul:13,14 Neg:13 NegativeLogLikelihoodLoss:13 NonMaxSuppression:11 NonZero:13 OneHot:11 PRelu:7,9,16 Pad:13 ' +
  'Pow:12,13,15 QuantizeLinear:13 Reciprocal:13 ReduceL1:11,13 ReduceL2:11,13 ReduceLogSum:11,13 ReduceLogSumExp:11,13 ' +
  'ReduceMax:11,12,13 ReduceMean:11,13 ReduceMin:11,12,13 ReduceProd:11,13 ReduceSum:11 ReduceSumSquare:11,13 ' +
  'Relu:13,14 Reshape:13,14 Resize:13 Scan:11,16 ScatterElements:13,16 ScatterND:13,16 Shape:13,15 Sigmoid:13 Sign:13 ' +
  'Size:13 Slice:11,13 Softmax:11 SoftmaxCrossEntropyLoss:13 SpaceToDepth:13 Split:11 Sqrt:13 Squeeze:11 Sub:13,14 ' +
  'Sum:8,13 Tanh:13 Tile:13 TopK:11 Transpose:13 Unsqueeze:11 Where:16';

/** Operator type → schema versions at which an existing node stays valid and unchanged in meaning. */
export const OPSET_COMPATIBLE_CHANGES: ReadonlyMap<string, ReadonlySet<number>> = new Map(
  COMPATIBLE.split(' ').map((entry) => {
    const [op, versions] = entry.split(':') as [string, string];
    return [op, new Set(versions.split(',').map(Number))];
  }),
);

/** Where a converter puts the constants it needs, and what it may ask about the node's inputs. */
interface ConvertPlace {
  constant(tensor: TensorProto, base: string): string;
  /** element type of a tensor name: value_info when known, else the model's only float type; undefined if unknown */
  floatType(name: string): number | undefined;
}

type Converter = (node: NodeProto, place: ConvertPlace) => NodeProto | string;

const without = (node: NodeProto, names: string[]): AttributeProto[] => node.attribute.filter((a) => !names.includes(a.name ?? ''));
const int64s = (values: number[]): TensorProto => encodeTensor(BigInt64Array.from(values, (v) => BigInt(v)), [values.length]);

function floatScalar(value: number, dataType: number): TensorProto {
  if (dataType === DataType.DOUBLE) return encodeTensor(Float64Array.of(value), []);
  return encodeTensor(Float32Array.of(value), [], { dataType });
}

/** Schema change → how to rewrite a node written for the version before it. A string return is why it cannot be. */
const CONVERTERS: ReadonlyMap<string, Converter> = new Map<string, Converter>([
  // Clip-11: min and max moved from attributes to optional inputs of the input's type
  ['Clip@11', (node, place) => {
    const min = attrFloat(node, 'min');
    const max = attrFloat(node, 'max');
    const input = node.input[0] ?? '';
    if (min === undefined && max === undefined) return { ...node, attribute: without(node, ['min', 'max']) };
    const type = place.floatType(input);
    if (type === undefined) return `the element type of its input '${input}' is unknown`;
    const base = node.name || 'Clip';
    const inputs = [input, min === undefined ? '' : place.constant(floatScalar(min, type), `${base}_min`)];
    if (max !== undefined) inputs.push(place.constant(floatScalar(max, type), `${base}_max`));
    return { ...node, input: inputs, attribute: without(node, ['min', 'max']) };
  }],
  // Slice-10: starts, ends and axes moved from attributes to int64 inputs (steps added, default 1)
  ['Slice@10', (node, place) => {
    const starts = attrInts(node, 'starts');
    const ends = attrInts(node, 'ends');
    if (!starts || !ends) return 'it has no starts/ends attributes';
    const axes = attrInts(node, 'axes');
    const base = node.name || 'Slice';
    const inputs = [node.input[0] ?? '', place.constant(int64s(starts), `${base}_starts`), place.constant(int64s(ends), `${base}_ends`)];
    if (axes) inputs.push(place.constant(int64s(axes), `${base}_axes`));
    return { ...node, input: inputs, attribute: without(node, ['starts', 'ends', 'axes']) };
  }],
  // Gemm-7: the `broadcast` attribute went away; C broadcasts unidirectionally to (M, N), which is what broadcast=1
  // meant, and a C written without it already had that shape (onnx's Gemm_6_7 adapter also only drops it)
  ['Gemm@7', (node) => ({ ...node, attribute: without(node, ['broadcast']) })],
  // TopK-10: k moved from an attribute to a 1-element int64 input
  ['TopK@10', (node, place) => {
    const k = attrInt(node, 'k');
    if (k === undefined) return 'it has no k attribute';
    return { ...node, input: [node.input[0] ?? '', place.constant(int64s([k]), `${node.name || 'TopK'}_k`)], attribute: without(node, ['k']) };
  }],
  // Pad-11: pads and value moved from attributes to inputs (value omitted means 0, as before)
  ['Pad@11', (node, place) => {
    const pads = attrInts(node, 'pads');
    if (!pads) return 'it has no pads attribute';
    const value = attrFloat(node, 'value') ?? 0;
    const base = node.name || 'Pad';
    const inputs = [node.input[0] ?? '', place.constant(int64s(pads), `${base}_pads`)];
    if (value !== 0) {
      const type = place.floatType(node.input[0] ?? '');
      if (type === undefined) return `the element type of its input '${node.input[0] ?? ''}' is unknown`;
      inputs.push(place.constant(floatScalar(value, type), `${base}_value`));
    }
    return { ...node, input: inputs, attribute: without(node, ['pads', 'value']) };
  }],
]);

export interface ConvertedNode {
  node: string;
  opType: string;
  /** the schema version the node was rewritten for */
  version: number;
  path: string;
}

export interface ConversionBlocker {
  node: string;
  opType: string;
  path: string;
  reason: string;
}

export interface OpsetConversion {
  model: ModelProto;
  from: number;
  to: number;
  converted: ConvertedNode[];
}

const FLOAT_TYPES = new Set<number>([DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE, DataType.BFLOAT16]);

/** Float element types that occur anywhere in the model (tensors, value_info, Cast targets, dtype attributes). */
function modelFloatTypes(model: ModelProto): Set<number> {
  const found = new Set<number>();
  const note = (t: number | undefined): void => {
    if (t !== undefined && FLOAT_TYPES.has(t)) found.add(t);
  };
  const visit = (graph: GraphProto): void => {
    for (const list of [graph.input, graph.output, graph.value_info]) for (const vi of list) note(vi.type?.tensor_type?.elem_type);
    for (const t of graph.initializer) note(t.data_type);
    for (const node of graph.node) {
      for (const a of node.attribute) {
        if (a.t) note(a.t.data_type);
        if ((a.name === 'to' || a.name === 'dtype') && a.i !== undefined) note(Number(a.i));
      }
      for (const sub of subgraphsOf(node)) visit(sub.graph);
    }
  };
  if (model.graph) visit(model.graph);
  return found;
}

interface Walk {
  from: number;
  to: number;
  names: NameGenerator;
  onlyFloat: number | undefined;
  converted: ConvertedNode[];
  blockers: ConversionBlocker[];
}

function convertNode(node: NodeProto, place: ConvertPlace, walk: Walk, path: string): NodeProto {
  const opType = node.op_type ?? '';
  const label = node.name || `${opType} (unnamed)`;
  const versions = OP_SCHEMA_VERSIONS.get(opType);
  if (!versions) {
    walk.blockers.push({ node: label, opType, path, reason: 'unknown operator' });
    return node;
  }
  let current = node;
  for (const version of versions.filter((v) => v > walk.from && v <= walk.to)) {
    if (OPSET_COMPATIBLE_CHANGES.get(opType)?.has(version)) continue;
    const converter = CONVERTERS.get(`${opType}@${version}`);
    const result = converter ? converter(current, place) : `its schema changed at opset ${version} and edgeopt has no conversion for it`;
    if (typeof result === 'string') {
      walk.blockers.push({ node: label, opType, path, reason: result });
      return node;
    }
    current = result;
    walk.converted.push({ node: label, opType, version, path });
  }
  return current;
}

/** Converts a graph and its subgraphs; returns the same object when nothing changed. */
function convertGraph(graph: GraphProto, outer: GraphProto[], walk: Walk, path: string): GraphProto {
  const added: TensorProto[] = [];
  const place: ConvertPlace = {
    constant: (tensor, base) => {
      const name = walk.names(base);
      added.push({ ...tensor, name });
      return name;
    },
    floatType: (name) => {
      const t = tensorInfo(graph, name, outer)?.elemType;
      return t !== undefined && FLOAT_TYPES.has(t) ? t : walk.onlyFloat;
    },
  };
  let changed = false;
  const nodes = graph.node.map((node) => {
    let next = node;
    if (subgraphsOf(node).length > 0) {
      let inner = false;
      const attribute = node.attribute.map((a) => {
        const sub = (g: GraphProto): GraphProto => {
          const converted = convertGraph(g, [graph, ...outer], walk, `${path}/${node.name || node.op_type}.${a.name ?? ''}`);
          if (converted !== g) inner = true;
          return converted;
        };
        if (a.g) return { ...a, g: sub(a.g) };
        if (a.graphs?.length) return { ...a, graphs: a.graphs.map(sub) };
        return a;
      });
      if (inner) next = { ...node, attribute };
    }
    if (normalizeDomain(node.domain) === '') next = convertNode(next, place, walk, path);
    if (next !== node) changed = true;
    return next;
  });
  if (!changed && added.length === 0) return graph;
  return { ...graph, node: nodes, initializer: [...graph.initializer, ...added] };
}

/**
 * Returns the model at default-domain opset `target`, rewriting nodes whose schema changed incompatibly when a
 * conversion is known (Clip-11, Slice-10, TopK-10, Pad-11). Throws E_OPSET_UPGRADE naming every node that blocks.
 * Never lowers the opset; the input model is not modified (untouched graphs and weights are shared).
 */
export function convertOpset(model: ModelProto, target: number): OpsetConversion {
  const from = opsetVersion(model, '') ?? 1;
  if (from >= target || !model.graph) return { model, from, to: Math.max(from, target), converted: [] };
  const floats = modelFloatTypes(model);
  const walk: Walk = {
    from, to: target, names: createNameGenerator(model), converted: [], blockers: [],
    onlyFloat: floats.size === 0 || (floats.size === 1 && floats.has(DataType.FLOAT)) ? DataType.FLOAT : undefined,
  };
  const graph = convertGraph(model.graph, [], walk, model.graph.name || 'main');
  for (const fn of model.functions ?? []) {
    for (const node of fn.node) {
      if (normalizeDomain(node.domain) !== '') continue;
      const changes = (OP_SCHEMA_VERSIONS.get(node.op_type ?? '') ?? []).filter((v) => v > from && v <= target);
      if (changes.some((v) => !OPSET_COMPATIBLE_CHANGES.get(node.op_type ?? '')?.has(v))) {
        walk.blockers.push({ node: node.name || `${node.op_type} (unnamed)`, opType: node.op_type ?? '', path: `function ${fn.name ?? ''}`, reason: 'nodes inside model-local functions are not converted' });
      }
    }
  }
  if (walk.blockers.length > 0) {
    const shown = walk.blockers.slice(0, 8).map((b) => `${b.opType} node '${b.node}' in ${b.path} (${b.reason})`);
    const more = walk.blockers.length > shown.length ? ` and ${walk.blockers.length - shown.length} more` : '';
    throw graphError('E_OPSET_UPGRADE',
      `Cannot raise the model's opset from ${from} to ${target}: ${shown.join('; ')}${more}.`,
      `Re-export the model at opset ${target} or later, or convert it with onnx.version_converter.convert_version(model, ${target}).`);
  }
  return { model: withOpsetImport({ ...model, graph }, '', target), from, to: target, converted: walk.converted };
}
