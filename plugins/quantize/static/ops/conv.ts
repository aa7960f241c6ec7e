// Conv → QLinearConv: uint8 activation in and out, int8 weights per output filter (axis 0), int32 bias.
import type { NodeProto } from '../../../../src/api.js';
import { constantWeight, floatProblem, skip, type StaticHandlerContext, type StaticOpHandler, type StaticPlan } from './op-handler.js';

function plan(node: NodeProto, ctx: StaticHandlerContext): StaticPlan | { skip: string } {
  const problem = floatProblem(node, 0, ctx);
  if (problem) return skip(problem);
  const weight = constantWeight(node, 1, ctx);
  if ('skip' in weight) return weight;
  const dims = weight.dims;
  if (dims.length < 3) return skip(`its weight '${weight.name ?? ''}' has rank ${dims.length} (Conv weights are [M, C/group, k...])`);
  const m = dims[0] as number;
  const inner = dims.slice(1).reduce((a, b) => a * b, 1);
  const result: StaticPlan = { activations: [0], weight: { input: 1, layout: { outer: 1, channels: m, inner }, axis: 0 } };
  const bias = node.input[2] ?? '';
  if (bias) {
    const b = ctx.constant(bias);
    if (!b || b.dims.length !== 1 || b.dims[0] !== m) return skip(`its bias '${bias}' is not a constant vector of ${m} values`);
    result.bias = { input: 2 };
  }
  return result;
}

export const convHandler: StaticOpHandler = { opTypes: ['Conv'], kind: 'compute', quantizeGraphOutput: true, plan };
