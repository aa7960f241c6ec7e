// Conv with a constant weight W [M, C/group, k...] → ConvInteger, per output filter M when per-channel; the bias is added in float.
import { encodeTensor, getAttribute, type AttributeProto, type NodeProto } from '../../../../src/api.js';
import { integerChain } from './integer-chain.js';
import {
  activationProblem, floatWeight, optionalInput, skip, type HandlerContext, type NodePlan, type OpHandler,
} from './op-handler.js';

const CONV_ATTRIBUTES = ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'];

/** The bias B [M] reshaped to [M, 1, ...] so it broadcasts over the spatial axes of the output. */
function biasFor(node: NodeProto, ctx: HandlerContext, spatial: number): { bias?: string; nodes: NodeProto[] } {
  const b = optionalInput(node, 2, ctx);
  if (!b.name) return { nodes: [] };
  const base = node.name || node.output[0] || 'Conv';
  if (b.constant) {
    // same bytes, new dims: [M] → [M, 1, 1]
    const shaped = { ...b.constant, dims: [...b.constant.dims, ...new Array<number>(spatial).fill(1)] };
    return { bias: ctx.scope.addInitializer(shaped, `${base}_bias_shaped`), nodes: [] };
  }
  const shape = ctx.scope.addInitializer(encodeTensor(BigInt64Array.from([-1, ...new Array<number>(spatial).fill(1)], BigInt), [spatial + 1]), `${base}_bias_shape`);
  const shaped = ctx.scope.names(`${base}_bias_shaped`);
  return { bias: shaped, nodes: [ctx.scope.node('Reshape', `${base}_bias_reshape`, [b.name, shape], [shaped])] };
}

function plan(node: NodeProto, ctx: HandlerContext): NodePlan {
  const weight = floatWeight(node, 1, ctx);
  if ('skip' in weight) return weight;
  const dims = weight.tensor.dims;
  if (dims.length < 3) return skip(`its weight '${weight.tensor.name ?? ''}' has rank ${dims.length} (Conv weights are [M, C/group, k...])`);
  const problem = activationProblem(node, ctx);
  if (problem) return skip(problem);
  const m = dims[0] as number;
  const spatial = dims.length - 2;
  const inner = dims.slice(1).reduce((a, b) => a * b, 1);
  return {
    apply: () => {
      const ref = ctx.weights.quantize({
        weight, layout: { outer: 1, channels: m, inner }, dims: [...dims],
        channelScaleDims: [m, ...new Array<number>(spatial).fill(1)], variant: 'filters', singleZeroPoint: true,
      });
      const attributes = CONV_ATTRIBUTES.map((name) => getAttribute(node, name)).filter((a): a is AttributeProto => a !== undefined);
      const { bias, nodes } = biasFor(node, ctx, spatial);
      return [...nodes, ...integerChain(ctx.scope, {
        node, integerOp: 'ConvInteger', activation: node.input[0] ?? '', weight: ref, weightScale: ref.scale, attributes, ...(bias ? { bias } : {}),
      })];
    },
  };
}

export const convHandler: OpHandler = {
  opType: 'Conv',
  minOpset: 11,
  caveat: 'dynamic INT8 convolutions (ConvInteger) usually run slower than float32 on CPU: ONNX Runtime has no fast ' +
    'ConvInteger kernel (measured slower than fp32 on this kind of machine); quantize Conv-heavy models statically (QDQ) when a static mode is available',
  plan,
};
