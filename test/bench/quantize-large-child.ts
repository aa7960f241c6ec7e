// Measurement program (not a test), one stage per process so VmHWM is that stage's own peak resident memory:
//   node --import tsx test/bench/quantize-large-child.ts build <dir> <MB>      a stack of MLP blocks, external data
//   node --import tsx test/bench/quantize-large-child.ts baseline <dir>        node + the quantize plugin loaded
//   node --import tsx test/bench/quantize-large-child.ts <mode> <dir>          the quantize step on <dir>/big.onnx
// <mode>: int4 | int8-dynamic | fp16. Prints one JSON line.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { quantizePlugin } from '../../plugins/quantize/index.js';
import type { QuantizeParams } from '../../plugins/quantize/params.js';
import { DataType, writeModel, type ModelProto, type NodeProto, type TensorProto } from '../../src/onnx/index.js';
import { removeTestTmpDirs, testContext } from '../integration/ort/step-context.js';

const D_MODEL = 1024;
const D_FFN = 4096;
const TOKENS = 8;

const PARAMS: Record<string, QuantizeParams> = {
  int4: { precision: 'int4' },
  'int8-dynamic': { precision: 'int8', mode: 'dynamic' },
  fp16: { precision: 'fp16' },
};

function peakRssMb(): number {
  const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** A [k, n] float weight ~ U(-1, 1)/√k from a xorshift stream (fast: a GB in a few seconds). */
function weight(name: string, k: number, n: number, seed: number): TensorProto {
  const values = new Float32Array(k * n);
  let s = (seed * 2654435761) >>> 0 || 1;
  const scale = 2 / Math.sqrt(k) / 4294967296;
  for (let i = 0; i < values.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    values[i] = ((s >>> 0) - 2147483648) * scale;
  }
  return { name, dims: [k, n], data_type: DataType.FLOAT, raw_data: new Uint8Array(values.buffer) };
}

/** x [1, T, d] → per layer: x + MatMul(Relu(MatMul(x, up)), down); layers chosen to reach `megabytes` of weights. */
export function mlpStack(megabytes: number): ModelProto {
  const layerMb = (2 * D_MODEL * D_FFN * 4) / 2 ** 20;
  const layers = Math.max(1, Math.round(megabytes / layerMb));
  const node: NodeProto[] = [];
  const initializer: TensorProto[] = [];
  const op = (type: string, input: string[], output: string): void => {
    node.push({ name: `${output}/${type}`, op_type: type, domain: '', input, output: [output], attribute: [] });
  };
  let x = 'x';
  for (let l = 0; l < layers; l++) {
    initializer.push(weight(`l${l}.up`, D_MODEL, D_FFN, 2 * l + 1), weight(`l${l}.down`, D_FFN, D_MODEL, 2 * l + 2));
    op('MatMul', [x, `l${l}.up`], `l${l}.h`);
    op('Relu', [`l${l}.h`], `l${l}.a`);
    op('MatMul', [`l${l}.a`, `l${l}.down`], `l${l}.d`);
    const out = l === layers - 1 ? 'y' : `l${l}.out`;
    op('Add', [x, `l${l}.d`], out);
    x = out;
  }
  const info = (name: string) => ({ name, type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: [1, TOKENS, D_MODEL].map((d) => ({ dim_value: d })) } } } });
  return { ir_version: 8, opset_import: [{ domain: '', version: 17 }], graph: { name: 'mlp-stack', node, initializer, input: [info('x')], output: [info('y')], value_info: [] } };
}

async function main(): Promise<void> {
  const [stage = '', dir = '.', mb = '1024'] = process.argv.slice(2);
  const source = path.join(dir, 'big.onnx');
  const started = performance.now();
  if (stage === 'build') {
    const written = await writeModel(mlpStack(Number(mb)), source, { externalData: true });
    console.log(JSON.stringify({ stage, model_mb: Math.round((written.bytes + (written.externalData?.bytes ?? 0)) / 2 ** 20), seconds: Number(((performance.now() - started) / 1000).toFixed(1)) }));
    return;
  }
  if (stage === 'baseline') {
    console.log(JSON.stringify({ stage, peak_rss_mb: peakRssMb() }));
    return;
  }
  const params = PARAMS[stage];
  if (!params) throw new Error(`unknown stage ${stage}`);
  const modelMb = (statSync(source).size + statSync(`${source}.data`).size) / 2 ** 20;
  try {
    const out = await quantizePlugin.run(testContext(source), params);
    const metrics = out.metrics as Record<string, any>;
    const weights = metrics.weights ?? {};
    // int4 reports its RTN pass (all threads, wall time); int8 its weight math time
    const mathGbPerS = metrics.rtn?.gb_per_s ?? (weights.ms > 0 ? weights.floatBytes / 1e6 / weights.ms : undefined);
    console.log(JSON.stringify({
      stage, model_mb: Math.round(modelMb), peak_rss_mb: peakRssMb(), peak_over_model: Number((peakRssMb() / modelMb).toFixed(2)),
      step_peak_rss_mb: metrics.resources?.peak_rss_mb, seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      size_after_mb: Math.round(metrics.size_after_bytes / 2 ** 20),
      ...(mathGbPerS ? { weight_math_gb_per_s: Number(mathGbPerS.toFixed(2)) } : {}),
      ...(metrics.rtn ? { rtn_threads: metrics.rtn.threads, rtn_gb_per_cpu_s: metrics.rtn.gb_per_cpu_s } : {}),
      peak_before_verify_mb: metrics.resources?.phases?.quantize_and_write,
      fidelity_cosine: (Object.values(metrics.fidelity ?? {})[0] as { cosine_similarity?: number } | undefined)?.cosine_similarity,
    }));
  } finally {
    removeTestTmpDirs();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
