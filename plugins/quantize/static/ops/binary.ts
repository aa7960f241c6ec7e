// Add and Mul → com.microsoft QLinearAdd / QLinearMul: both operands quantized (a constant operand with its own range).
import { activationPlan, type StaticOpHandler } from './op-handler.js';

export const binaryHandler: StaticOpHandler = {
  opTypes: ['Add', 'Mul'],
  kind: 'compute',
  plan: (node, ctx) => (node.input.length === 2 ? activationPlan(node, [0, 1], ctx) : { skip: `it has ${node.input.length} inputs` }),
};
