// FP16's params: what it accepts, its default op block list (with why each op is in it), and its effective options.
import { foreignParams, type ParamProblem, type QuantizeParams } from '../params.js';

/**
 * Ops kept in float32 unless the recipe's op_block_list says otherwise: ONNX Runtime's float16 converter's default
 * (onnxruntime/python/tools/transformers/float16.py, DEFAULT_OP_BLOCK_LIST) where its reason holds here, plus
 * reductions that overflow float16 by construction. Left out of ORT's list: its ML-domain ops and NonMaxSuppression
 * and Range (never converted here: their schemas admit no float16 inputs), and Min/Max, which ORT's CPU EP runs in
 * float16 exactly (a selection rounds nothing; probed over ONNX's backend corpus, ORT 1.30).
 */
export const DEFAULT_OP_BLOCK_LIST: ReadonlyMap<string, string> = new Map([
  ['TopK', 'float16 ties reorder its indices'],
  ['RoiAlign', 'box coordinates lose precision'],
  ['Resize', 'its sampling coordinates lose precision'],
  ['Upsample', 'its sampling coordinates lose precision'],
  ['CumSum', 'a running sum overflows or loses its low bits in float16'],
  ['ReduceSumSquare', 'sums of squares overflow float16 (65504) for modest inputs'],
  ['ReduceL2', 'sums of squares overflow float16 (65504) for modest inputs'],
  ['ReduceProd', 'products overflow or vanish in float16'],
]);

export interface Fp16Options {
  /** op type → why it stays float32 */
  blockedOps: Map<string, string>;
  excludeNodes: string[];
  /** float32 model inputs and outputs, with Casts at the boundary */
  keepIoTypes: boolean;
}

export function checkFp16Params(params: QuantizeParams): ParamProblem[] {
  const problems = foreignParams(params, ['keep_io_types', 'op_block_list'], 'precision fp16');
  const misplaced: Array<keyof QuantizeParams> = ['mode', 'per_channel', 'reduce_range', 'weight_type', 'symmetric', 'op_types'];
  for (const key of misplaced) {
    if (params[key] !== undefined) {
      problems.push({ pointer: `/${key}`, message: `${key} applies to integer quantization; precision fp16 converts every float32 tensor it can`, hint: `remove ${key} (use op_block_list to keep op types in float32)` });
    }
  }
  return problems;
}

export function fp16Options(params: QuantizeParams): Fp16Options {
  const blockedOps = new Map<string, string>();
  if (params.op_block_list) for (const op of params.op_block_list) blockedOps.set(op, 'with.op_block_list lists it');
  else for (const [op, why] of DEFAULT_OP_BLOCK_LIST) blockedOps.set(op, `default block list: ${why}`);
  for (const op of params.exclude?.ops ?? []) blockedOps.set(op, `exclude.ops lists ${op}`);
  return { blockedOps, excludeNodes: params.exclude?.nodes ?? [], keepIoTypes: params.keep_io_types ?? true };
}
