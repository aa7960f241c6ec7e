// MatMul → QLinearMatMul: both operands quantized; a constant 2-D B [K, N] gets int8 weights per output column (axis 1).
import type { NodeProto } from '../../../../src/api.js';
import { activationPlan, constantWeight, floatProblem, skip, type StaticHandlerContext, type StaticOpHandler, type StaticPlan } from './op-handler.js';

function plan(node: NodeProto, ctx: StaticHandlerContext): StaticPlan | { skip: string } {
  const b = node.input[1] ?? '';
  if (!ctx.constant(b)) return activationPlan(node, [0, 1], ctx); // activation × activation (attention): both per tensor
  const problem = floatProblem(node, 0, ctx);
  if (problem) return skip(problem);
  const weight = constantWeight(node, 1, ctx);
  if ('skip' in weight) return weight;
  const dims = weight.dims;
  if (dims.length !== 2) return skip(`its weight '${b}' has rank ${dims.length} (only 2-D weights [K, N] are quantized)`);
  const [k, n] = dims as [number, number];
  return { activations: [0], weight: { input: 1, layout: { outer: k, channels: n, inner: 1 }, axis: 1 } };
}

export const matmulHandler: StaticOpHandler = { opTypes: ['MatMul'], kind: 'compute', quantizeGraphOutput: true, plan };
