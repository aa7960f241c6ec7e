// Static QDQ needs opset 13 (DequantizeLinear's axis): older models are converted, or refused naming the nodes that block.
import { convertOpset, EdgeoptError, opsetVersion, type ModelProto } from '../../../src/api.js';

export const MIN_OPSET = 13;

export function raisedOpset(model: ModelProto): { model: ModelProto; before: number; converted: number } {
  const before = opsetVersion(model, '') ?? 1;
  if (before >= MIN_OPSET) return { model, before, converted: 0 };
  try {
    const conversion = convertOpset(model, MIN_OPSET);
    return { model: conversion.model, before, converted: conversion.converted.length };
  } catch (err) {
    if (!(err instanceof EdgeoptError) || err.code !== 'E_OPSET_UPGRADE') throw err;
    throw new EdgeoptError({
      code: 'E_QUANTIZE_OPSET', kind: 'step',
      message: `static INT8 writes per-channel DequantizeLinear, which needs opset ${MIN_OPSET}, and this opset-${before} model cannot be raised: ${err.message}`,
      hint: `${err.hint ?? ''} Or quantize it with mode: dynamic, which needs opset 11 only.`.trim(),
      cause: err,
    });
  }
}
