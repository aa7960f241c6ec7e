// Test support: models from ONNX's backend corpus with MatMul/Gemm/Conv, quantized by the plugin and checked in ORT on
// the corpus's own inputs (test_data_set_0) against the original model and the corpus's expected outputs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { quantizePlugin } from '../../../plugins/quantize/index.js';
import type { QuantizeParams } from '../../../plugins/quantize/params.js';
import { EdgeoptError } from '../../../src/api.js';
import {
  decodeModelBytes, decodeTensor, writeModel, type ModelProto, type TensorProto,
} from '../../../src/onnx/index.js';
import { CORPUS_DIR, loadTensors } from '../onnx/backend-corpus.js';
import { toOrtTensor } from '../onnx/ort-tensors.js';
import { testContext, testTmpDir } from '../ort/step-context.js';

export interface SweepCase {
  /** suite/name in the corpus; `+weights` when the weight inputs were made initializers */
  id: string;
  model: string;
  dataDir: string;
}

export interface OutputError {
  /** largest |quantized − original| relative to the largest |original| */
  relMax: number;
  cosine: number;
}

export type SweepOutcome =
  | { id: string; status: 'quantized'; ops: Record<string, number>; vsOriginal: OutputError; vsCorpus: OutputError; file: string }
  | { id: string; status: 'skipped'; reasons: string[]; vsOriginal: OutputError; file: string }
  | { id: string; status: 'refused'; code: string; message: string; originalLoads: boolean };

const dataDirOf = (dir: string): string => path.join(dir, 'test_data_set_0');

/** The corpus cases of `suite` named in `names`, as shipped. */
export function corpusCases(suite: string, names: readonly string[]): SweepCase[] {
  return names.map((name) => {
    const dir = path.join(CORPUS_DIR, suite, name);
    return { id: `${suite}/${name}`, model: path.join(dir, 'model.onnx'), dataDir: dataDirOf(dir) };
  });
}

/**
 * A node/ case whose inputs after the first (weights, bias) become initializers with the values of its test data:
 * the same single-op graph ONNX wrote, in the shape real exports have (the weights are constants).
 */
export async function withWeightsAsInitializers(suite: string, name: string): Promise<SweepCase> {
  const dir = path.join(CORPUS_DIR, suite, name);
  const model: ModelProto = decodeModelBytes(readFileSync(path.join(dir, 'model.onnx')));
  const graph = model.graph!;
  const values = loadTensors(dataDirOf(dir), 'input');
  const weights = graph.input.slice(1).map((vi, k) => ({ ...(values[k + 1] as TensorProto), name: vi.name ?? '' }));
  const file = path.join(testTmpDir(), `${name}.onnx`);
  const promoted: ModelProto = { ...model, graph: { ...graph, input: graph.input.slice(0, 1), initializer: [...graph.initializer, ...weights] } };
  await writeModel(promoted, file, { externalData: false });
  return { id: `${suite}/${name}+weights`, model: file, dataDir: dataDirOf(dir) };
}

async function run(model: string, feeds: Record<string, ort.Tensor>): Promise<ort.Tensor[]> {
  const session = await ort.InferenceSession.create(model, { logSeverityLevel: 3 });
  try {
    const out = await session.run(feeds);
    return session.outputNames.map((n) => out[n] as ort.Tensor);
  } finally {
    await session.release();
  }
}

function compare(actual: ArrayLike<number>, expected: ArrayLike<number>): OutputError {
  if (actual.length !== expected.length) return { relMax: Infinity, cosine: -1 };
  let maxErr = 0;
  let maxRef = 0;
  let dot = 0;
  let aa = 0;
  let ee = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = Number(actual[i]);
    const e = Number(expected[i]);
    const d = Math.abs(a - e);
    maxErr = Number.isNaN(d) ? Infinity : Math.max(maxErr, d);
    maxRef = Math.max(maxRef, Math.abs(e));
    dot += a * e;
    aa += a * a;
    ee += e * e;
  }
  return { relMax: maxRef === 0 ? maxErr : maxErr / maxRef, cosine: aa === 0 && ee === 0 ? 1 : dot / Math.sqrt(aa * ee) };
}

/** The worst of several outputs' errors. */
function worst(errors: OutputError[]): OutputError {
  return { relMax: Math.max(...errors.map((e) => e.relMax)), cosine: Math.min(...errors.map((e) => e.cosine)) };
}

async function originalLoads(model: string): Promise<boolean> {
  try {
    await (await ort.InferenceSession.create(model, { logSeverityLevel: 3 })).release();
    return true;
  } catch {
    return false;
  }
}

/** Quantizes one case with dynamic INT8 (MatMul, Gemm, Conv; `extra` params on top) and measures what came out. */
export async function sweepCase(c: SweepCase, extra: Partial<QuantizeParams> = {}): Promise<SweepOutcome> {
  let out;
  try {
    out = await quantizePlugin.run(testContext(c.model), { precision: 'int8', mode: 'dynamic', op_types: ['MatMul', 'Gemm', 'Conv'], ...extra });
  } catch (err) {
    if (!(err instanceof EdgeoptError)) throw err;
    return { id: c.id, status: 'refused', code: err.code, message: err.message, originalLoads: await originalLoads(c.model) };
  }
  const file = out.files.model!;
  const inputs = loadTensors(c.dataDir, 'input');
  const expected = loadTensors(c.dataDir, 'output');
  const graphInputs = decodeModelBytes(readFileSync(c.model)).graph!.input.map((vi) => vi.name ?? '');
  const feeds = Object.fromEntries(inputs.slice(0, graphInputs.length).map((t, k) => [t.name || graphInputs[k], toOrtTensor(t)!]));
  const original = await run(c.model, feeds);
  // the quantized model's inputs are a subset (initializer inputs of old exporters are gone)
  const quantizedSession = await ort.InferenceSession.create(file, { logSeverityLevel: 3 });
  const quantizedFeeds = Object.fromEntries(quantizedSession.inputNames.map((n) => [n, feeds[n]!]));
  await quantizedSession.release();
  const quantized = await run(file, quantizedFeeds);
  const vsOriginal = worst(quantized.map((q, k) => compare(q.data as Float32Array, original[k]!.data as Float32Array)));
  const metrics = out.metrics as { quantized: Record<string, number>; skipped?: Array<{ reason: string }> };
  if (Object.keys(metrics.quantized).length === 0) {
    return { id: c.id, status: 'skipped', reasons: (metrics.skipped ?? []).map((s) => s.reason), vsOriginal, file };
  }
  const vsCorpus = worst(quantized.map((q, k) => compare(q.data as Float32Array, decodeTensor(expected[k]!) as Float32Array)));
  return { id: c.id, status: 'quantized', ops: metrics.quantized, vsOriginal, vsCorpus, file };
}
