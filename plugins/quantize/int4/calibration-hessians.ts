// The calibration statistics GPTQ needs: per activation A [..., K] feeding a planned MatMul, H's sum Σ xxᵀ over
// every calibration row. ORT computes each sample's Gram matrix XᵀX inside the graph (its GEMM; only K×K floats
// leave ORT per sample) and the shared activation capture streams those to us, in passes within its budget.
import {
  createNameGenerator, DataType, EdgeoptError, encodeTensor, makeAttribute, openDataset, resolveInputSpecs,
  type InputMetadata, type InputPin, type ModelProto, type NodeProto, type ResolvedDataset, type TensorProto,
} from '../../../src/api.js';
import { captureActivations } from '../calibration/activation-capture.js';
import { Hessian } from './gptq.js';

export interface GramRequest {
  activation: string;
  /** its last dimension (the MatMul's K) */
  k: number;
}

export interface HessianSetup {
  dataset: ResolvedDataset | undefined;
  pins: Record<string, InputPin>;
  ep: string[];
  scratchDir: string;
  /** at most this many samples (calibration.samples) */
  samples?: number;
  signal?: AbortSignal;
  progress?(fraction: number, message: string): void;
}

export interface CalibrationHessians {
  hessians: Map<string, Hessian>;
  samples: number;
  /** requested activations the capture could not observe, with why */
  skipped: Array<{ tensor: string; reason: string }>;
}

const ORT_TYPE: Record<number, string> = {
  [DataType.FLOAT]: 'float32', [DataType.FLOAT16]: 'float16', [DataType.DOUBLE]: 'float64', [DataType.INT8]: 'int8',
  [DataType.UINT8]: 'uint8', [DataType.INT16]: 'int16', [DataType.UINT16]: 'uint16', [DataType.INT32]: 'int32',
  [DataType.UINT32]: 'uint32', [DataType.INT64]: 'int64', [DataType.UINT64]: 'uint64', [DataType.BOOL]: 'bool',
};

/** The model's inputs as ORT would describe them (no session needed: a big model is not loaded twice). */
function inputMetadata(model: ModelProto): InputMetadata[] {
  const graph = model.graph!;
  const initializers = new Set(graph.initializer.map((t) => t.name));
  return graph.input.filter((vi) => !initializers.has(vi.name)).map((vi) => {
    const tensor = vi.type?.tensor_type;
    const meta: InputMetadata = { name: vi.name ?? '', isTensor: !!tensor };
    const type = ORT_TYPE[tensor?.elem_type ?? -1];
    if (type) meta.type = type;
    if (tensor?.shape) meta.shape = tensor.shape.dim.map((d) => d.dim_value ?? d.dim_param ?? '');
    return meta;
  });
}

interface GramNodes {
  model: ModelProto;
  /** gram output → activation, and row-count output → activation */
  grams: Map<string, string>;
  counts: Map<string, string>;
}

/** Appends, per activation: X = Reshape(A, [-1, K]); gram = XᵀX [K, K]; rows = Cast(Shape(X), float) [2]. */
function withGramNodes(model: ModelProto, requests: readonly GramRequest[]): GramNodes {
  const names = createNameGenerator(model);
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  const node = (op: string, input: string[], attribute: NodeProto['attribute'] = []): string => {
    const output = names(`gptq_${op}`);
    nodes.push({ name: names(`gptq_${op}_node`), op_type: op, domain: '', input, output: [output], attribute });
    return output;
  };
  const grams = new Map<string, string>();
  const counts = new Map<string, string>();
  for (const { activation, k } of requests) {
    const shape = names('gptq_rows_shape');
    initializers.push(encodeTensor(BigInt64Array.of(-1n, BigInt(k)), [2], { name: shape }));
    const rows = node('Reshape', [activation, shape]);
    const transposed = node('Transpose', [rows], [makeAttribute('perm', { ints: [1, 0] })]);
    grams.set(node('MatMul', [transposed, rows]), activation);
    counts.set(node('Cast', [node('Shape', [rows])], [makeAttribute('to', { int: DataType.FLOAT })]), activation);
  }
  const graph = model.graph!;
  return { model: { ...model, graph: { ...graph, node: [...graph.node, ...nodes], initializer: [...graph.initializer, ...initializers] } }, grams, counts };
}

function noData(): EdgeoptError {
  return new EdgeoptError({
    code: 'E_QUANTIZE_NO_CALIBRATION', kind: 'recipe',
    message: 'precision int4 with algorithm gptq needs calibration data, and the recipe has no data.calibration',
    hint: 'add data.calibration (a folder of .npy files, one per model input, axis 0 = sample), or use algorithm rtn',
  });
}

/** One pass over the calibration data: the Hessian of every requested main-graph activation. */
export async function calibrationHessians(model: ModelProto, requests: readonly GramRequest[], setup: HessianSetup): Promise<CalibrationHessians> {
  if (!setup.dataset) throw noData();
  const specs = resolveInputSpecs(inputMetadata(model), setup.pins);
  const samples = Math.min(setup.dataset.samples, setup.samples ?? Number.POSITIVE_INFINITY);
  const opened = await openDataset({ ...setup.dataset, samples }, specs, 'calibration');
  const { model: edited, grams, counts } = withGramNodes(model, requests);
  const hessians = new Map(requests.map((r) => [r.activation, new Hessian(r.k)]));
  const { report } = await captureActivations(edited, {
    tensors: [...grams.keys(), ...counts.keys()],
    samples: opened, ep: setup.ep, scratchDir: setup.scratchDir,
    ...(setup.signal ? { signal: setup.signal } : {}),
    ...(setup.progress ? { progress: setup.progress } : {}),
    onTensor: ({ name, data }) => {
      const gram = grams.get(name);
      if (gram) hessians.get(gram)!.addGram(data, 0);
      const counted = counts.get(name);
      if (counted) hessians.get(counted)!.rows += data[0] ?? 0;
    },
  });
  const skipped = report.skipped.map((s) => ({ tensor: grams.get(s.tensor) ?? counts.get(s.tensor) ?? s.tensor, reason: s.reason }));
  return { hessians, samples: report.samples, skipped };
}
