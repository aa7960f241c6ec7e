// CoreML (Apple) op table: ORT's documented list for its CoreML EP in the default NeuralNetwork model format.
import { DataType } from '../../onnx/index.js';
import { rows, type EpOpTable } from './op-table.js';

// Transcribed from microsoft/onnxruntime tools/ci_build/github/apple/coreml_supported_ops.md (NeuralNetwork format,
// ORT's default; the MLProgram format has its own table), file version of commit 424107a82a9aa018f2925406b34a39b11d1e02e8.
// The file spells one row "ai.onnx.ReduceSum"; it is read here as ai.onnx:ReduceSum.
const OPS = rows('ai.onnx', [
  'Add', 'ArgMax', 'AveragePool|Only 2D Pool is supported.', 'BatchNormalization', 'Cast', 'Clip', 'Concat',
  'Conv|Only 1D/2D Conv; weights and bias should be constant.', 'DepthToSpace|Only DCR mode.', 'Div', 'Flatten',
  'Gather|Scalar indices are not supported.', 'Gemm|Input B should be constant.', 'GlobalAveragePool|Only 2D Pool is supported.',
  'GlobalMaxPool|Only 2D Pool is supported.', 'LeakyRelu', 'LRN', 'MatMul|Input B should be constant.', 'MaxPool|Only 2D Pool is supported.',
  'Mul', 'Pad|Only constant mode on the last two dims; pads, constant_value and axes constant.', 'Pow|Only when both inputs are fp32.',
  'PRelu|Slope constant, shape [C, 1, 1] or one element.', 'Reciprocal', 'ReduceSum', 'Relu', 'Reshape', 'Resize',
  'Shape|No non-default start, no end.', 'Sigmoid', 'Slice|starts, ends, axes, steps constant; no empty slice.', 'Squeeze', 'Sqrt',
  'Sub', 'Tanh', 'Transpose',
]);

// the NeuralNetwork format computes in float32: ORT's CoreML builders take float inputs, Shape and Cast excepted
const ANY_INPUT = new Set(['Shape', 'Cast']);

export const COREML: EpOpTable = {
  ep: 'coreml',
  source: { files: ['tools/ci_build/github/apple/coreml_supported_ops.md'], ort: 'microsoft/onnxruntime main, file at commit 424107a8' },
  ops: OPS,
  device: true,
  dtypeRule({ node, inputType }) {
    const t = inputType(0);
    if (t === undefined || ANY_INPUT.has(node.op_type ?? '')) return undefined;
    return t === DataType.FLOAT ? undefined : 'input not float32';
  },
};
