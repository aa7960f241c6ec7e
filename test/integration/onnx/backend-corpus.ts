// Test support: runs ONNX's backend test corpus (libonnx-testdata) through ORT, before and after our read/write round trip.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import {
  decodeModelBytes, decodeTensor, decodeTensorProto, encodeModel, type ModelProto, type TensorProto, type ValueInfoProto,
} from '../../../src/onnx/index.js';
import { firstMismatch, ortSupports, ortValues, sameValues, toOrtTensor } from './ort-tensors.js';

export const CORPUS_DIR = process.env.ONNX_TESTDATA_DIR ?? '/usr/share/libonnx-testdata/data';
export const SUITES = ['node', 'simple', 'pytorch-converted', 'pytorch-operator'];

export interface CorpusCase {
  suite: string;
  name: string;
  dir: string;
}

export function listCases(root = CORPUS_DIR): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const suite of SUITES) {
    const suiteDir = path.join(root, suite);
    if (!existsSync(suiteDir)) continue;
    for (const name of readdirSync(suiteDir).sort()) {
      const dir = path.join(suiteDir, name);
      if (existsSync(path.join(dir, 'model.onnx')) && existsSync(path.join(dir, 'test_data_set_0'))) cases.push({ suite, name, dir });
    }
  }
  return cases;
}

export type CaseOutcome =
  | { status: 'skipped'; reason: string }
  | { status: 'ort-fails'; reason: string }
  | { status: 'pass'; identicalToOriginal: boolean }
  | { status: 'regressed'; reason: string };

const isPlainTensor = (vi: ValueInfoProto): boolean => !!vi.type?.tensor_type;

/** input_K.pb or output_K.pb of one test data set, in order. */
export function loadTensors(dir: string, prefix: 'input' | 'output'): TensorProto[] {
  const tensors: TensorProto[] = [];
  for (let k = 0; existsSync(path.join(dir, `${prefix}_${k}.pb`)); k++) {
    const file = path.join(dir, `${prefix}_${k}.pb`);
    tensors.push(decodeTensorProto(readFileSync(file), file));
  }
  return tensors;
}

async function run(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.ReturnType> {
  return session.run(feeds);
}

function check(outputs: ort.InferenceSession.ReturnType, names: string[], expected: TensorProto[]): string | undefined {
  for (const [k, name] of names.entries()) {
    const actual = outputs[name];
    if (!actual) return `no output ${name}`;
    const want = decodeTensor(expected[k] as TensorProto);
    const mismatch = firstMismatch(ortValues(actual), want);
    if (mismatch) return `output ${name}: ${JSON.stringify(mismatch, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`;
  }
  return undefined;
}

/**
 * One case: skip non-tensor I/O; run the original model; if it matches output_K.pb, run our round trip
 * (decode → encode) of the same model and require it to match too, and compare both runs bit for bit.
 */
export async function runCase(c: CorpusCase): Promise<CaseOutcome> {
  const modelBytes = readFileSync(path.join(c.dir, 'model.onnx'));
  const model: ModelProto = decodeModelBytes(modelBytes, c.dir);
  const graph = model.graph;
  if (!graph) return { status: 'skipped', reason: 'no graph' };
  if (![...graph.input, ...graph.output].every(isPlainTensor)) return { status: 'skipped', reason: 'sequence/optional/map I/O' };
  const dataDir = path.join(c.dir, 'test_data_set_0');
  const initializers = new Set(graph.initializer.map((t) => t.name));
  const inputNames = graph.input.map((vi) => vi.name ?? '').filter((n) => !initializers.has(n));
  const inputs = loadTensors(dataDir, 'input');
  const expected = loadTensors(dataDir, 'output');
  const feeds: Record<string, ort.Tensor> = {};
  for (const [k, tensor] of inputs.entries()) {
    const ortTensor = toOrtTensor(tensor);
    if (!ortTensor) return { status: 'skipped', reason: `input type ${tensor.data_type} not supported by ort-node` };
    feeds[tensor.name || (inputNames[k] as string)] = ortTensor;
  }
  if (expected.some((t) => !ortSupports(t.data_type ?? 0))) {
    return { status: 'skipped', reason: 'output type not supported by ort-node' };
  }
  const outputNames = graph.output.map((vi) => vi.name ?? '');
  let before: ort.InferenceSession.ReturnType;
  try {
    const session = await ort.InferenceSession.create(modelBytes, { logSeverityLevel: 3 });
    before = await run(session, feeds);
    await session.release();
  } catch (error) {
    return { status: 'ort-fails', reason: (error as Error).message.split('\n')[0] ?? '' };
  }
  const failure = check(before, outputNames, expected);
  if (failure) return { status: 'ort-fails', reason: failure };
  try {
    const session = await ort.InferenceSession.create(encodeModel(model), { logSeverityLevel: 3 });
    const after = await run(session, feeds);
    await session.release();
    const regression = check(after, outputNames, expected);
    if (regression) return { status: 'regressed', reason: regression };
    const identical = outputNames.every((n) => sameValues(ortValues(after[n] as ort.Tensor), ortValues(before[n] as ort.Tensor)));
    return { status: 'pass', identicalToOriginal: identical };
  } catch (error) {
    return { status: 'regressed', reason: (error as Error).message.split('\n')[0] ?? '' };
  }
}
