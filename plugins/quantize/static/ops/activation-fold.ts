// Relu and Clip after a quantized op: removed, since the op's output QuantizeLinear clamps to the same interval.
import { attrFloat, DataType, decodeTensor, type NodeProto } from '../../../../src/api.js';
import { activationPlan, type StaticHandlerContext, type StaticOpHandler } from './op-handler.js';

/** A constant scalar bound (Clip-11+ inputs), ±Infinity when absent, undefined when computed at run time. */
function bound(node: NodeProto, index: number, ctx: StaticHandlerContext, absent: number): number | undefined {
  const name = node.input[index] ?? '';
  if (!name) return absent;
  const tensor = ctx.constant(name);
  if (!tensor || tensor.data_type !== DataType.FLOAT) return undefined;
  const values = decodeTensor(tensor) as Float32Array;
  return values.length === 1 ? (values[0] as number) : undefined;
}

export const activationFoldHandler: StaticOpHandler = {
  opTypes: ['Relu', 'Clip'],
  kind: 'fold',
  plan: (node, ctx) => activationPlan(node, [0], ctx),
  clampRange(node, ctx) {
    if (node.op_type === 'Relu') return { lo: 0, hi: Number.POSITIVE_INFINITY };
    // Clip before opset 11 kept its bounds in attributes (convertOpset moves them, but read both)
    const lo = attrFloat(node, 'min') ?? bound(node, 1, ctx, Number.NEGATIVE_INFINITY);
    const hi = attrFloat(node, 'max') ?? bound(node, 2, ctx, Number.POSITIVE_INFINITY);
    return lo === undefined || hi === undefined ? undefined : { lo, hi };
  },
};
