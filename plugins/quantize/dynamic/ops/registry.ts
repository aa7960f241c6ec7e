// Op type → quantizer for dynamic INT8. Supporting a new op is one new file in this folder and one line here.
import { convHandler } from './conv.js';
import { gemmHandler } from './gemm.js';
import { matmulHandler } from './matmul.js';
import type { OpHandler } from './op-handler.js';

export const DYNAMIC_HANDLERS: ReadonlyMap<string, OpHandler> = new Map(
  [matmulHandler, gemmHandler, convHandler].map((h) => [h.opType, h]),
);

/** Op types dynamic INT8 can quantize, sorted. */
export function supportedOpTypes(): string[] {
  return [...DYNAMIC_HANDLERS.keys()].sort();
}
