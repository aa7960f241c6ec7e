// NNAPI (Android) op table: ORT's documented list of ops its NNAPI EP takes, with the NNAPI EP's dtype limits.
import { DataType } from '../../onnx/index.js';
import { rows, type EpOpTable } from './op-table.js';

const TWO_D = 'Only 2D is supported.';
const QPARAMS = 'All quantization scales and zero points should be constant.';

// Transcribed from microsoft/onnxruntime tools/ci_build/github/android/nnapi_supported_ops.md (the table ORT's docs
// page and its Python usability checker use), file version of commit 5dae05e21e44e5bbe485beb765561dd808191fb2
const OPS = {
  ...rows('ai.onnx', [
    'Abs', 'Add', `AveragePool|${TWO_D}`, 'BatchNormalization', 'Cast', 'Clip', 'Concat',
    `Conv|${TWO_D} Weights and bias should be constant.`, 'DepthToSpace|Only DCR mode.', `DequantizeLinear|${QPARAMS}`,
    'Div', 'Elu', 'Exp', 'Flatten', 'Floor', 'Gather|Input indices should be constant if not int32.',
    'Gemm|If input B is not constant, transB should be 1.', `GlobalAveragePool|${TWO_D}`, `GlobalMaxPool|${TWO_D}`,
    'Identity', 'Log', 'LRN', 'MatMul', `MaxPool|${TWO_D}`, 'Max', 'Min', 'Mul', 'Neg',
    'Pad|Only constant mode; pads and constant_value constant and non-negative.', 'Pow', 'PRelu',
    `QLinearConv|${TWO_D} Weights and bias constant. ${QPARAMS}`, `QLinearMatMul|${QPARAMS}`, `QuantizeLinear|${QPARAMS}`,
    'ReduceMean', 'Relu', 'Reshape', `Resize|${TWO_D}`, 'Sigmoid', 'Sin', 'Slice', 'Softmax',
    'Split|The number of splits must divide the axis evenly; split constant if given.', 'Sqrt',
    'Squeeze|Input axes should be constant.', 'Sub', 'Tanh', 'Transpose', 'Unsqueeze|Input axes should be constant.',
  ]),
  ...rows('com.microsoft', [`QLinearAdd|${QPARAMS}`, `QLinearAveragePool|${TWO_D} ${QPARAMS}`, `QLinearSigmoid|${QPARAMS}`]),
};

// ORT's NNAPI op builders check input 0 (base_op_builder HasSupportedInputOutputs): float32 for float ops, uint8 for
// the quantized ones (the EP maps only to NNAPI's QUANT8_ASYMM: int8 QDQ is not taken), and data-movement ops take both
const QUANTIZED = new Set(['QLinearConv', 'QLinearMatMul', 'QLinearAdd', 'QLinearAveragePool', 'QLinearSigmoid', 'DequantizeLinear']);
const EITHER = new Set(['Concat', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze', 'Flatten', 'Identity', 'MaxPool', 'Resize', 'Gather', 'Slice', 'DepthToSpace']);

export const NNAPI: EpOpTable = {
  ep: 'nnapi',
  source: { files: ['tools/ci_build/github/android/nnapi_supported_ops.md'], ort: 'microsoft/onnxruntime main, file at commit 5dae05e2' },
  ops: OPS,
  device: true,
  dtypeRule({ node, inputType }) {
    const t = inputType(0);
    if (t === undefined) return undefined;
    const op = node.op_type ?? '';
    if (op === 'Cast') return t === DataType.FLOAT || t === DataType.INT32 ? undefined : 'input not float32 or int32';
    if (QUANTIZED.has(op)) return t === DataType.UINT8 ? undefined : 'only uint8 quantization';
    if (EITHER.has(op)) return t === DataType.FLOAT || t === DataType.UINT8 ? undefined : 'input not float32 or uint8';
    return t === DataType.FLOAT ? undefined : 'input not float32';
  },
};
