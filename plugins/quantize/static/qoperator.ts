// format: qoperator for static INT8: the QDQ model as ONNX Runtime's CPU optimizer rewrites it (level extended),
// i.e. QLinearConv / QLinearMatMul and com.microsoft QLinear* integer operators instead of Q/DQ pairs.
import path from 'node:path';
import { openSession, readModel, writeModel, type ModelProto, type StepContext } from '../../../src/api.js';

export const QOPERATOR_NOTE = 'format qoperator: the integer operators are the ones ONNX Runtime itself makes from the QDQ model ' +
  '(com.microsoft QLinear* among them), so the model runs in ONNX Runtime only; QDQ (the default) is portable and loads to the same kernels';

export async function toQOperator(model: ModelProto, ctx: StepContext, scratchDir: string): Promise<ModelProto> {
  const qdq = path.join(scratchDir, 'qdq.onnx');
  const qoperator = path.join(scratchDir, 'qoperator.onnx');
  await writeModel(model, qdq, { externalData: 'auto', signal: ctx.signal });
  const opened = await openSession(qdq, {
    ep: ['cpu'], threads: 1, sessionOptions: { graphOptimizationLevel: 'extended', optimizedModelFilePath: qoperator },
  });
  await opened.session.release();
  return readModel(qoperator);
}
