// Pooling: average pools → com.microsoft QLinear(Global)AveragePool; MaxPool runs on uint8 when its scale is shared.
import { activationPlan, skip, type StaticOpHandler } from './op-handler.js';

export const averagePoolHandler: StaticOpHandler = {
  opTypes: ['AveragePool', 'GlobalAveragePool'],
  kind: 'compute',
  plan: (node, ctx) => activationPlan(node, [0], ctx),
};

export const maxPoolHandler: StaticOpHandler = {
  opTypes: ['MaxPool'],
  kind: 'shared',
  plan: (node, ctx) => (node.output.filter((o) => o !== '').length > 1
    ? skip('it also outputs Indices (ORT has no integer MaxPool with indices)')
    : activationPlan(node, [0], ctx)),
};
