// Resize: nearest only moves values, so it runs on uint8 with a shared scale; linear/cubic stay float (ORT keeps their DQ/Q).
import { attrString, type NodeProto } from '../../../../src/api.js';
import { activationPlan, skip, type StaticHandlerContext, type StaticOpHandler } from './op-handler.js';

function plan(node: NodeProto, ctx: StaticHandlerContext) {
  const mode = attrString(node, 'mode') ?? 'nearest';
  if (mode !== 'nearest') return skip(`mode ${mode}: ORT runs interpolating Resize in float between its DQ and Q (measured: quantizing it costs accuracy, saves no time)`);
  return activationPlan(node, [0], ctx);
}

export const resizeHandler: StaticOpHandler = { opTypes: ['Resize'], kind: 'shared', plan };
