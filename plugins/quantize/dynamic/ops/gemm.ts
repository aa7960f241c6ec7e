// Gemm (Y = alpha·A·B' + beta·C) with a constant B → MatMulInteger on B' (transposed offline), alpha folded into the scale, C added.
import { attrFloat, attrInt, encodeTensor, decodeTensor, DataType, type NodeProto } from '../../../../src/api.js';
import { scaledScales } from '../quantized-weights.js';
import { integerChain } from './integer-chain.js';
import {
  activationProblem, floatWeight, optionalInput, skip, type HandlerContext, type NodePlan, type OpHandler,
} from './op-handler.js';

/** The tensor to add: C itself, beta·C folded offline when C is constant, or a Mul node for a run-time C. */
function biasFor(node: NodeProto, ctx: HandlerContext, beta: number): { bias?: string; nodes: NodeProto[] } {
  const c = optionalInput(node, 2, ctx);
  if (!c.name || beta === 0) return { nodes: [] };
  if (beta === 1) return { bias: c.name, nodes: [] };
  const base = node.name || node.output[0] || 'Gemm';
  if (c.constant) {
    const values = (decodeTensor(c.constant) as Float32Array).map((v) => v * beta);
    return { bias: ctx.scope.addInitializer(encodeTensor(values, c.constant.dims), `${base}_beta_C`), nodes: [] };
  }
  const betaName = ctx.scope.addInitializer(encodeTensor(Float32Array.of(beta), []), `${base}_beta`);
  const scaled = ctx.scope.names(`${base}_beta_C`);
  return { bias: scaled, nodes: [ctx.scope.node('Mul', `${base}_beta_mul`, [c.name, betaName], [scaled])] };
}

function plan(node: NodeProto, ctx: HandlerContext): NodePlan {
  if ((attrInt(node, 'transA') ?? 0) !== 0) return skip('it has transA=1 (the activation would need a transpose at run time)');
  const weight = floatWeight(node, 1, ctx);
  if ('skip' in weight) return weight;
  const dims = weight.tensor.dims;
  if (dims.length !== 2) return skip(`its weight '${weight.tensor.name ?? ''}' has rank ${dims.length} (Gemm needs 2-D)`);
  const problem = activationProblem(node, ctx);
  if (problem) return skip(problem);
  const c = optionalInput(node, 2, ctx);
  if (c.constant && c.constant.data_type !== DataType.FLOAT) return skip(`its C input is not float32`);
  const transB = (attrInt(node, 'transB') ?? 0) !== 0;
  const alpha = attrFloat(node, 'alpha') ?? 1;
  const beta = attrFloat(node, 'beta') ?? 1;
  // B' = B [K, N] read column-wise, or B [N, K] read row-wise and transposed after quantization (int8: 1/4 of the bytes)
  const [rows, cols] = dims as [number, number];
  const [k, n] = transB ? [cols, rows] : [rows, cols];
  return {
    apply: () => {
      const ref = ctx.weights.quantize({
        weight,
        layout: transB ? { outer: 1, channels: n, inner: k } : { outer: k, channels: n, inner: 1 },
        ...(transB ? { transpose: { rows: n, cols: k } } : {}),
        dims: [k, n], channelScaleDims: [n], variant: transB ? 'rows-transposed' : 'columns',
      });
      const base = node.name || node.output[0] || 'Gemm';
      const weightScale = alpha === 1 ? ref.scale : ctx.scope.addInitializer(scaledScales(ref, alpha), `${base}_alpha_scale`);
      const { bias, nodes } = biasFor(node, ctx, beta);
      return [...nodes, ...integerChain(ctx.scope, {
        node, integerOp: 'MatMulInteger', activation: node.input[0] ?? '', weight: ref, weightScale, ...(bias ? { bias } : {}),
      })];
    },
  };
}

export const gemmHandler: OpHandler = { opType: 'Gemm', minOpset: 11, plan };
