// Sigmoid and LeakyRelu → com.microsoft QLinearSigmoid / QLinearLeakyRelu (table lookups on uint8).
import { activationPlan, type StaticOpHandler } from './op-handler.js';

export const unaryHandler: StaticOpHandler = {
  opTypes: ['Sigmoid', 'LeakyRelu'],
  kind: 'compute',
  plan: (node, ctx) => activationPlan(node, [0], ctx),
};
