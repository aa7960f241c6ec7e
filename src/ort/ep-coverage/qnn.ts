// QNN (Qualcomm) op table for its HTP (NPU) backend: the ops ORT's QNN EP builds, taken only in quantized form.
import { DataType } from '../../onnx/index.js';
import { rows, type EpOpTable } from './op-table.js';

// From microsoft/onnxruntime onnxruntime/core/providers/qnn/builder/op_builder_factory.cc (OpBuilderRegistrations),
// file version of commit 7f44b0814a0a05d99409073e615981eb9c77c620; newer ORT releases register more ops.
const OPS = rows('ai.onnx', [
  'Add', 'Asin', 'Atan', 'Mul', 'Abs', 'And', 'Ceil', 'Cos', 'Sign', 'Div', 'Equal', 'Exp', 'Floor', 'Greater',
  'GreaterOrEqual', 'LeakyRelu', 'Less', 'LessOrEqual', 'Log', 'Max', 'Min', 'Neg', 'Not', 'Or', 'Pow', 'PRelu', 'Relu',
  'Gelu', 'Elu', 'Round', 'Where', 'Sigmoid', 'Sin', 'Softmax', 'Sqrt', 'Sub', 'Tanh', 'Transpose', 'LogSoftmax', 'MatMul',
  'Concat', 'QuantizeLinear', 'DequantizeLinear', 'HardSwish', 'Cast', 'ReduceMax', 'ReduceMean', 'ReduceMin', 'ReduceProd',
  'ReduceSum', 'Conv', 'ConvTranspose', 'GlobalAveragePool', 'AveragePool', 'MaxPool', 'Reshape', 'Flatten', 'Squeeze',
  'Unsqueeze', 'Gemm', 'Gather', 'ArgMax', 'ArgMin', 'Clip', 'Slice', 'Split', 'Resize', 'TopK', 'Tile',
  'InstanceNormalization', 'BatchNormalization', 'LayerNormalization', 'LRN',
]);

const QUANT = new Set<number>([DataType.UINT8, DataType.INT8, DataType.UINT16, DataType.INT16]);
const SHAPE_TYPES = new Set<number>([DataType.INT32, DataType.INT64, DataType.BOOL]);

export const QNN: EpOpTable = {
  ep: 'qnn',
  source: { files: ['onnxruntime/core/providers/qnn/builder/op_builder_factory.cc'], ort: 'microsoft/onnxruntime, file at commit 7f44b081' },
  ops: OPS,
  device: true,
  // HTP runs fixed-point graphs: a float op is taken only inside a QDQ group (its input dequantized), unless the
  // session enables fp16 precision on a chip that has it, which a static check cannot know
  dtypeRule({ node, inputType, producerOp }) {
    const op = node.op_type ?? '';
    if (op === 'QuantizeLinear' || op === 'DequantizeLinear' || producerOp(0) === 'DequantizeLinear') return undefined;
    const t = inputType(0);
    if (t === undefined || QUANT.has(t) || SHAPE_TYPES.has(t)) return undefined;
    return 'float, not in a QDQ group';
  },
};
