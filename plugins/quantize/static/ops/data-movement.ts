// Ops that only move or select values: ORT drops their DQ/Q (runs them on uint8) when input and output share one scale.
import { activationPlan, type StaticOpHandler } from './op-handler.js';

export const dataMovementHandler: StaticOpHandler = {
  // the ops of ORT's DropQDQNodesSelector on the CPU EP (qdq_selector_action_transformer.cc)
  opTypes: ['Expand', 'Flatten', 'Gather', 'GatherElements', 'Reshape', 'Slice', 'Squeeze', 'Tile', 'Transpose', 'Unsqueeze'],
  kind: 'shared',
  // only the data input: shapes, axes and indices stay as they are
  plan: (node, ctx) => activationPlan(node, [0], ctx),
};
