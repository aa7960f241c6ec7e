// MatMul with a constant 2-D weight B [K, N] → MatMulInteger with int8 weights, per output column N when per-channel.
import type { NodeProto } from '../../../../src/api.js';
import { integerChain } from './integer-chain.js';
import { activationProblem, floatWeight, skip, type HandlerContext, type NodePlan, type OpHandler } from './op-handler.js';

function plan(node: NodeProto, ctx: HandlerContext): NodePlan {
  const weight = floatWeight(node, 1, ctx);
  if ('skip' in weight) return weight;
  const dims = weight.tensor.dims;
  if (dims.length !== 2) return skip(`its weight '${weight.tensor.name ?? ''}' has rank ${dims.length} (only 2-D weights [K, N] are quantized)`);
  const problem = activationProblem(node, ctx);
  if (problem) return skip(problem);
  const [k, n] = dims as [number, number];
  return {
    apply: () => {
      const ref = ctx.weights.quantize({
        weight, layout: { outer: k, channels: n, inner: 1 }, dims: [k, n], channelScaleDims: [n], variant: 'columns',
      });
      return integerChain(ctx.scope, { node, integerOp: 'MatMulInteger', activation: node.input[0] ?? '', weight: ref, weightScale: ref.scale });
    },
  };
}

export const matmulHandler: OpHandler = { opType: 'MatMul', minOpset: 11, plan };
