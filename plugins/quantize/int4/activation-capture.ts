// Calibration statistics GPTQ needs: for chosen main-graph activations, the Hessian sums Σ xxᵀ over every
// calibration row. Two sources behind one interface: ORT computes the Gram matrices inside the graph (fast: its
// GEMM, and only K×K leaves ORT per sample), or any capture of raw activations (the shared calibration module in
// plugins/quantize/calibration/ once it lands) is folded here in JS.
import path from 'node:path';
import {
  createNameGenerator, DataType, EdgeoptError, encodeTensor, makeAttribute, openDataset, openSession, resolveInputSpecs, writeModel,
  type InputMetadata, type InputPin, type ModelProto, type NodeProto, type ResolvedDataset, type TensorProto,
} from '../../../src/api.js';
import { Hessian } from './gptq.js';

export interface GramRequest {
  activation: string;
  /** its last dimension (the MatMul's K) */
  k: number;
}

export interface HessianSource {
  /** calibration samples one pass streams */
  samples: number;
  /** one pass over the calibration data: the Hessian sums of every requested activation */
  hessians(requests: readonly GramRequest[], signal?: AbortSignal): Promise<Map<string, Hessian>>;
}

/** One captured tensor of one calibration sample. */
export type ActivationVisitor = (name: string, data: Float32Array, dims: readonly number[]) => void;

/** What a raw-activation capture (the shared calibration module) offers. */
export interface ActivationCapture {
  samples: number;
  capture(tensors: readonly string[], visit: ActivationVisitor, signal?: AbortSignal): Promise<void>;
}

/** Hessians from raw activations, accumulated in JS. */
export function hessiansFromActivations(capture: ActivationCapture): HessianSource {
  return {
    samples: capture.samples,
    async hessians(requests, signal) {
      const out = new Map(requests.map((r) => [r.activation, new Hessian(r.k)]));
      await capture.capture(requests.map((r) => r.activation), (name, data) => {
        const h = out.get(name)!;
        h.add(data, data.length / h.k);
      }, signal);
      return out;
    },
  };
}

export interface CaptureSetup {
  model: ModelProto;
  dataset: ResolvedDataset | undefined;
  pins: Record<string, InputPin>;
  ep: string[];
  tmpDir: string;
  /** at most this many samples (calibration.samples) */
  samples?: number;
}

function noData(): EdgeoptError {
  return new EdgeoptError({
    code: 'E_QUANTIZE_NO_CALIBRATION', kind: 'recipe',
    message: 'precision int4 with algorithm gptq needs calibration data, and the recipe has no data.calibration',
    hint: 'add data.calibration (a folder of .npy files, one per model input, axis 0 = sample), or use algorithm rtn',
  });
}

interface GramOutputs {
  model: ModelProto;
  /** activation → [gram output, row-count output] */
  outputs: Map<string, [string, string]>;
}

/** The model with, per activation A [..., K]: X = Reshape(A, [-1, K]); outputs XᵀX [K, K] and Shape(X). */
function withGramOutputs(model: ModelProto, requests: readonly GramRequest[]): GramOutputs {
  const names = createNameGenerator(model);
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  const outputs = new Map<string, [string, string]>();
  const node = (op: string, input: string[], attr: NodeProto['attribute'] = []): string => {
    const output = names(`gptq_${op}`);
    nodes.push({ name: names(`gptq_${op}_node`), op_type: op, domain: '', input, output: [output], attribute: attr });
    return output;
  };
  for (const { activation, k } of requests) {
    const shape = names('gptq_rows_shape');
    initializers.push(encodeTensor(BigInt64Array.of(-1n, BigInt(k)), [2], { name: shape }));
    const rows = node('Reshape', [activation, shape]);
    const transposed = node('Transpose', [rows], [makeAttribute('perm', { ints: [1, 0] })]);
    outputs.set(activation, [node('MatMul', [transposed, rows]), node('Shape', [rows])]);
  }
  const graph = model.graph!;
  const declared = [...outputs.values()].flatMap(([gram, count]) => [
    { name: gram, type: { tensor_type: { elem_type: DataType.FLOAT } } }, { name: count, type: { tensor_type: { elem_type: DataType.INT64 } } },
  ]);
  return {
    model: { ...model, graph: { ...graph, node: [...graph.node, ...nodes], initializer: [...graph.initializer, ...initializers], output: [...graph.output, ...declared] } },
    outputs,
  };
}

/** Hessians computed by ORT inside the graph, streamed over the calibration samples one at a time. */
export function ortHessianSource(setup: CaptureSetup): HessianSource {
  const dataset = setup.dataset;
  if (!dataset) throw noData();
  const samples = Math.min(dataset.samples, setup.samples ?? Number.POSITIVE_INFINITY);
  let pass = 0;
  return {
    samples,
    async hessians(requests, signal) {
      const { model, outputs } = withGramOutputs(setup.model, requests);
      const file = path.join(setup.tmpDir, `gptq-calibration-${pass++}.onnx`);
      await writeModel(model, file, { externalData: 'auto', signal });
      const { session } = await openSession(file, { ep: setup.ep, threads: 1 });
      const result = new Map(requests.map((r) => [r.activation, new Hessian(r.k)]));
      try {
        const specs = resolveInputSpecs(session.inputMetadata as readonly InputMetadata[], setup.pins);
        const opened = await openDataset({ ...dataset, samples }, specs, 'calibration');
        const fetch = [...outputs.values()].flat();
        for await (const batch of opened.batches(1, signal)) {
          for (const feeds of batch) {
            const run = await session.run(feeds, fetch);
            for (const [activation, [gram, count]] of outputs) {
              result.get(activation)!.addGram(run[gram]!.data as Float32Array, Number((run[count]!.data as BigInt64Array)[0]));
            }
          }
        }
      } finally {
        await session.release();
      }
      return result;
    },
  };
}
