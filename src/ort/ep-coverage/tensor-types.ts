// Element types of a graph's tensors, as far as they can be told without running shape inference: declared
// value infos and initializers first, then a forward pass with the type rules of the common ops.
import { attrInt, attrTensor, DataType, topologicalSort, type GraphProto, type NodeProto } from '../../onnx/index.js';

const ALWAYS: Readonly<Record<string, number>> = {
  Shape: DataType.INT64, Size: DataType.INT64, NonZero: DataType.INT64, ArgMax: DataType.INT64, ArgMin: DataType.INT64,
  Equal: DataType.BOOL, Less: DataType.BOOL, Greater: DataType.BOOL, LessOrEqual: DataType.BOOL, GreaterOrEqual: DataType.BOOL,
  Not: DataType.BOOL, And: DataType.BOOL, Or: DataType.BOOL, Xor: DataType.BOOL, IsNaN: DataType.BOOL, IsInf: DataType.BOOL,
  MatMulInteger: DataType.INT32, ConvInteger: DataType.INT32, DynamicQuantizeLinear: DataType.UINT8,
};

// QLinear ops produce the type of their output zero point (uint8 when it is omitted); its input index per op
const OUTPUT_ZERO_POINT: Readonly<Record<string, number>> = {
  QLinearConv: 7, QLinearMatMul: 7, QLinearAdd: 7, QLinearMul: 7, QLinearAveragePool: 4, QLinearGlobalAveragePool: 4,
  QLinearSigmoid: 4, QLinearLeakyRelu: 4, QLinearSoftmax: 4, QLinearConcat: 2,
};

function outputType(node: NodeProto, input: (i: number) => number | undefined): number | undefined {
  const op = node.op_type ?? '';
  if (op in ALWAYS) return ALWAYS[op];
  if (op === 'Cast') return attrInt(node, 'to');
  if (op === 'Constant') return attrTensor(node, 'value')?.data_type ?? (node.attribute.some((a) => a.name?.startsWith('value_float')) ? DataType.FLOAT : DataType.INT64);
  if (op === 'ConstantOfShape') return attrTensor(node, 'value')?.data_type ?? DataType.FLOAT;
  if (op === 'QuantizeLinear') return input(2) ?? attrInt(node, 'output_dtype') ?? DataType.UINT8;
  if (op === 'DequantizeLinear') return input(1) ?? DataType.FLOAT;
  if (op in OUTPUT_ZERO_POINT) return input(OUTPUT_ZERO_POINT[op]!) ?? DataType.UINT8;
  // most ops keep the type of their first (data) input: elementwise math, activations, layout, normalization
  return input(0);
}

/** Tensor name → ONNX DataType for what could be told; `outer` holds the enclosing scopes' types for subgraphs. */
export function elementTypes(graph: GraphProto, outer: ReadonlyMap<string, number> = new Map()): Map<string, number> {
  const types = new Map(outer);
  for (const vi of [...graph.input, ...graph.output, ...(graph.value_info ?? [])]) {
    const t = vi.type?.tensor_type?.elem_type;
    if (vi.name && t) types.set(vi.name, t);
  }
  for (const init of graph.initializer) if (init.name && init.data_type) types.set(init.name, init.data_type);
  for (const node of topologicalSort(graph)) {
    const input = (i: number): number | undefined => {
      const name = node.input[i];
      return name ? types.get(name) : undefined;
    };
    const t = outputType(node, input);
    if (t === undefined) continue;
    // Split's outputs all share the input's type; other ops' later outputs (indices, states) may not
    const outputs = node.op_type === 'Split' ? node.output : node.output.slice(0, 1);
    for (const name of outputs) if (name && !types.has(name)) types.set(name, t);
  }
  return types;
}
