// Op type → static QDQ handler. Supporting a new op is one file in this folder and one entry here.
import { activationFoldHandler } from './activation-fold.js';
import { binaryHandler } from './binary.js';
import { concatHandler } from './concat.js';
import { convHandler } from './conv.js';
import { dataMovementHandler } from './data-movement.js';
import { gemmHandler } from './gemm.js';
import { matmulHandler } from './matmul.js';
import type { StaticOpHandler } from './op-handler.js';
import { averagePoolHandler, maxPoolHandler } from './pooling.js';
import { resizeHandler } from './resize.js';
import { unaryHandler } from './unary.js';

const HANDLERS: readonly StaticOpHandler[] = [
  convHandler, matmulHandler, gemmHandler, binaryHandler, concatHandler, averagePoolHandler, maxPoolHandler,
  unaryHandler, resizeHandler, dataMovementHandler, activationFoldHandler,
];

export const STATIC_HANDLERS: ReadonlyMap<string, StaticOpHandler> = new Map(HANDLERS.flatMap((h) => h.opTypes.map((op) => [op, h] as const)));

/** Op types static INT8 can quantize, sorted. */
export function staticOpTypes(): string[] {
  return [...STATIC_HANDLERS.keys()].sort();
}
