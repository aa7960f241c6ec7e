// Measurement program (not a test): peak RSS and throughput of readModel / writeModel on a big synthetic model.
// Usage: node --import tsx test/integration/onnx/large-model-memory.ts <stage> <dir> [MB]
// stages, in order: build, read, copy (read + write inline), copy-external (read + write external), read-external
// Each stage runs in its own process so VmHWM (peak resident memory) belongs to that stage alone; prints one JSON line.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DataType, readModel, writeModel, type ModelProto, type TensorProto } from '../../../src/onnx/index.js';

const TENSOR_MB = 8;

function peakRssMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** `megabytes` of FLOAT weights in 8 MB initializers, chained through Add nodes so every weight is used. */
export function syntheticModel(megabytes: number): ModelProto {
  const count = Math.max(1, Math.round(megabytes / TENSOR_MB));
  const elements = (TENSOR_MB * 1024 * 1024) / 4;
  const initializer: TensorProto[] = [];
  for (let i = 0; i < count; i++) {
    const values = new Float32Array(elements);
    for (let j = 0; j < elements; j += 1024) values[j] = i + j / elements;
    initializer.push({ name: `w${i}`, dims: [elements], data_type: DataType.FLOAT, raw_data: new Uint8Array(values.buffer) });
  }
  const node = initializer.map((t, i) => ({
    op_type: 'Add', input: [i === 0 ? 'x' : `h${i - 1}`, t.name ?? ''], output: [i === count - 1 ? 'y' : `h${i}`], attribute: [],
  }));
  const info = (name: string) => ({ name, type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: [{ dim_value: elements }] } } } });
  return {
    ir_version: 8, opset_import: [{ domain: '', version: 17 }],
    graph: { name: 'big', node, initializer, input: [info('x')], output: [info('y')], value_info: [] },
  };
}

async function main(): Promise<void> {
  const [stage, dir = '.', mb = '500'] = process.argv.slice(2);
  const source = path.join(dir, 'big.onnx');
  const started = performance.now();
  let bytes = 0;
  if (stage === 'baseline') {
    // the same process doing nothing: node + tsx + the onnx module loaded
  } else if (stage === 'build') {
    bytes = (await writeModel(syntheticModel(Number(mb)), source)).bytes;
  } else if (stage === 'read') {
    const model = await readModel(source);
    bytes = statSync(source).size;
    if (!model.graph?.initializer.length) throw new Error('no weights');
  } else if (stage === 'read-external') {
    // reads copy-external.onnx, written by the copy-external stage
    const file = path.join(dir, 'copy-external.onnx');
    const model = await readModel(file);
    bytes = statSync(file).size + statSync(`${file}.data`).size;
    if (!model.graph?.initializer.every((t) => t.raw_data)) throw new Error('external data not loaded');
  } else if (stage === 'copy' || stage === 'copy-external') {
    const model = await readModel(source);
    const out = path.join(dir, `${stage}.onnx`);
    const result = await writeModel(model, out, { externalData: stage === 'copy-external' ? { threshold: 1024 } : false });
    bytes = result.bytes + (result.externalData?.bytes ?? 0);
  } else {
    throw new Error(`unknown stage ${stage}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const mbytes = bytes / (1024 * 1024);
  console.log(JSON.stringify({ stage, modelMb: Math.round(mbytes), seconds: Number(seconds.toFixed(2)), mbPerSecond: Math.round(mbytes / seconds), peakRssMb: peakRssMb() }));
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
