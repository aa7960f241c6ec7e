// XNNPACK op table: the kernels ORT's XNNPACK EP registers (it has no documented table), float32 or 8-bit quantized.
import { DataType } from '../../onnx/index.js';
import { rows, type EpOpTable } from './op-table.js';

// From microsoft/onnxruntime onnxruntime/core/providers/xnnpack/xnnpack_execution_provider.cc (RegisterKernels),
// file version of commit 1b38b5828ef20f49ec4a388570205c1e28092200. QDQ groups (DequantizeLinear → op → QuantizeLinear)
// around these ops are claimed whole (GetCapability's NodeUnit handling).
const OPS = {
  ...rows('ai.onnx', [
    'Conv|2D only; weights constant.', 'ConvTranspose|2D only; weights constant.', 'MaxPool|2D only.', 'AveragePool|2D only.',
    'Softmax', 'Resize|2D, bilinear or nearest, constant scales or sizes.', 'Gemm|B constant.', 'MatMul|B constant, 2D.',
    'QLinearConv|uint8 or int8.',
  ]),
  ...rows('com.microsoft', ['QLinearAveragePool', 'QLinearSoftmax', 'QLinearConvTranspose']),
};

const QUANTIZED = new Set(['QLinearConv', 'QLinearAveragePool', 'QLinearSoftmax', 'QLinearConvTranspose']);
const EIGHT_BIT = new Set<number>([DataType.UINT8, DataType.INT8]);

export const XNNPACK: EpOpTable = {
  ep: 'xnnpack',
  source: { files: ['onnxruntime/core/providers/xnnpack/xnnpack_execution_provider.cc'], ort: 'microsoft/onnxruntime main, file at commit 1b38b582' },
  ops: OPS,
  // a CPU library: no device copies between partitions, so ORT's partition rule does not apply
  device: false,
  qdqUnits: true,
  // the EP folds a following Relu or Clip into these kernels (NodeSupportChecker::IsNodeSupportedWithFusion)
  fuses: { activations: new Set(['Relu', 'Clip']), into: new Set(['Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'QLinearConv']) },
  dtypeRule({ node, inputType }) {
    const t = inputType(0);
    if (t === undefined) return undefined;
    if (QUANTIZED.has(node.op_type ?? '')) return EIGHT_BIT.has(t) ? undefined : 'input not uint8/int8';
    return t === DataType.FLOAT || t === DataType.FLOAT16 ? undefined : 'input not float32/float16';
  },
};
