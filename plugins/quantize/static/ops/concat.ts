// Concat → com.microsoft QLinearConcat: every input quantized with its own scale, requantized to the output's.
import { activationPlan, type StaticOpHandler } from './op-handler.js';

export const concatHandler: StaticOpHandler = {
  opTypes: ['Concat'],
  kind: 'compute',
  plan: (node, ctx) => activationPlan(node, node.input.map((_, i) => i), ctx),
};
