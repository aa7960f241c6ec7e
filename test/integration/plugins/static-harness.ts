// Test support for static INT8: run the quantize plugin on calibration data, and read back the graph ORT makes of it.
import path from 'node:path';
import { quantizePlugin } from '../../../plugins/quantize/index.js';
import type { QuantizeParams } from '../../../plugins/quantize/params.js';
import { openSession, readModel, type ModelProto, type ResolvedDataset } from '../../../src/api.js';
import { testContext, testTmpDir } from '../ort/step-context.js';

export const STATIC: QuantizeParams = { precision: 'int8', mode: 'static' };
export const RANDOM_DATA: ResolvedDataset = { samples: 8, seed: 3 };

export async function quantize(file: string, params: QuantizeParams = STATIC, calibration: ResolvedDataset | null = RANDOM_DATA) {
  const ctx = testContext(file);
  if (calibration) ctx.data = { calibration };
  const out = await quantizePlugin.run(ctx, params);
  return { out, file: out.files.model!, model: await readModel(out.files.model!), metrics: out.metrics as Record<string, any> };
}

/** The graph ORT's optimizer (level extended) makes of a model: what actually runs on the CPU EP. */
export async function ortOptimized(file: string): Promise<ModelProto> {
  const optimized = path.join(testTmpDir(), 'ort-optimized.onnx');
  const s = await openSession(file, { ep: ['cpu'], sessionOptions: { graphOptimizationLevel: 'extended', optimizedModelFilePath: optimized } });
  await s.session.release();
  return readModel(optimized);
}

/** Op types reading each DequantizeLinear's output in a graph (where float work remains after fusion). */
export function dequantizeConsumers(model: ModelProto): string[] {
  const dqOutputs = new Set(model.graph!.node.filter((n) => n.op_type === 'DequantizeLinear').map((n) => n.output[0]));
  return model.graph!.node.filter((n) => n.input.some((i) => dqOutputs.has(i))).map((n) => n.op_type ?? '').sort();
}

