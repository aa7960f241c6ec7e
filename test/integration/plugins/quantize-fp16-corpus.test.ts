// FP16 over ONNX's backend corpus (every node case ORT passes): the converted model always loads and runs in ORT,
// and its outputs stay within float16 rounding of the float32 run. Also the source of the CPU kernel table.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { convertToHalf } from '../../../plugins/quantize/fp16/convert-model.js';
import { fp16Options } from '../../../plugins/quantize/fp16/fp16-options.js';
import { decodeModelBytes, encodeModel } from '../../../src/onnx/index.js';
import { CORPUS_DIR, listCases, loadTensors } from '../onnx/backend-corpus.js';
import { ortValues, toOrtTensor } from '../onnx/ort-tensors.js';

const cases = listCases().filter((c) => c.suite === 'node');
const title = cases.length > 0
  ? `FP16 over the ONNX backend corpus at ${CORPUS_DIR} (${cases.length} node cases)`
  : `FP16 over the ONNX backend corpus [SKIPPED: not installed at ${CORPUS_DIR}; apt-get install -y libonnx-testdata]`;

const RANDOM = new Set(['Bernoulli', 'Multinomial', 'RandomNormal', 'RandomNormalLike', 'RandomUniform', 'RandomUniformLike']);

interface Outcome {
  name: string;
  status: 'skipped' | 'refused' | 'unchanged' | 'ok' | 'rejected';
  detail?: string;
  /** largest |fp16 − fp32| over an output, relative to that output's largest |fp32| */
  error?: number;
}

async function runHalf(dir: string, name: string, blockDefaults: boolean): Promise<Outcome> {
  const bytes = readFileSync(path.join(dir, 'model.onnx'));
  const model = decodeModelBytes(bytes, name);
  const graph = model.graph!;
  if (![...graph.input, ...graph.output].every((vi) => vi.type?.tensor_type)) return { name, status: 'skipped' };
  const initializers = new Set(graph.initializer.map((t) => t.name));
  const inputNames = graph.input.map((vi) => vi.name ?? '').filter((n) => !initializers.has(n));
  const feeds: Record<string, ort.Tensor> = {};
  for (const [k, t] of loadTensors(path.join(dir, 'test_data_set_0'), 'input').entries()) {
    const tensor = toOrtTensor(t);
    if (!tensor) return { name, status: 'skipped' };
    feeds[t.name || (inputNames[k] as string)] = tensor;
  }
  let reference: ort.InferenceSession.ReturnType;
  try {
    const session = await ort.InferenceSession.create(bytes);
    reference = await session.run(feeds);
    await session.release();
  } catch {
    return { name, status: 'skipped' };
  }
  const options = blockDefaults ? fp16Options({ precision: 'fp16' }) : { blockedOps: new Map<string, string>(), excludeNodes: [], keepIoTypes: true };
  const result = convertToHalf(model, options);
  if ('refused' in result) return { name, status: 'refused' };
  if (!result.changed) return { name, status: 'unchanged' };
  let actual: ort.InferenceSession.ReturnType;
  try {
    const session = await ort.InferenceSession.create(encodeModel(result.model));
    actual = await session.run(feeds);
    await session.release();
  } catch (err) {
    return { name, status: 'rejected', detail: (err as Error).message.split('\n')[0] };
  }
  // random ops draw from type-specific streams: a float16 run draws other numbers, which says nothing about accuracy
  if (graph.node.some((n) => RANDOM.has(n.op_type ?? '') || (n.op_type === 'Dropout' && (n.input[2] ?? '') !== ''))) return { name, status: 'ok', error: 0 };
  let error = 0;
  for (const vi of graph.output) {
    const want = ortValues(reference[vi.name ?? '']!);
    const got = ortValues(actual[vi.name ?? '']!);
    if (!(want instanceof Float32Array) || !(got instanceof Float32Array)) continue;
    const scale = want.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0) || 1;
    for (let i = 0; i < want.length; i++) {
      if (Number.isNaN(want[i]!) && Number.isNaN(got[i]!)) continue;
      const d = want[i] === got[i] ? 0 : Math.abs(got[i]! - want[i]!) / scale;
      error = Math.max(error, Number.isNaN(d) ? Infinity : d);
    }
  }
  return { name, status: 'ok', error };
}

describe.skipIf(cases.length === 0)(title, () => {
  for (const [label, defaults] of [['no block list', false], ['the default block list', true]] as const) it(`with ${label}: every converted case loads, runs and stays within 2% of float32`, async () => {
    ort.env.logLevel = 'fatal';
    const outcomes: Outcome[] = [];
    for (const c of cases) outcomes.push(await runHalf(c.dir, c.name, defaults));
    const ok = outcomes.filter((o) => o.status === 'ok');
    console.info(`FP16 corpus (${label}): ${ok.length} converted and compared, ${outcomes.filter((o) => o.status === 'unchanged').length} with nothing to convert, ` +
      `${outcomes.filter((o) => o.status === 'refused').length} refused (opset < 6), ${outcomes.filter((o) => o.status === 'skipped').length} skipped`);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => `${o.name}: ${o.detail}`)).toEqual([]);
    expect(ok.filter((o) => !(o.error! <= 0.02)).map((o) => `${o.name}: ${o.error}`)).toEqual([]);
    // guards the harness: most node cases hold float tensors to convert
    expect(ok.length).toBeGreaterThan(500);
  });
});
