// The gate-trust benchmark's models: an MLP and the same MLP with one more layer (10% more compute), built in code.
import { DataType, encodeTensor, writeModel, type ModelProto, type NodeProto, type TensorProto } from '../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../src/onnx/model-builder.js';
import { mulberry32 } from '../../src/ort/seeded-random.js';

export interface MlpShape {
  layers: number;
  /** hidden width: each layer is a [batch, hidden] × [hidden, hidden] MatMul and a Tanh */
  hidden: number;
  batch: number;
}

/** About 1.5 ms a run at 1 thread on this machine's CPU: short enough for 100 gate runs in a few minutes. */
export const UNCHANGED: MlpShape = { layers: 10, hidden: 512, batch: 32 };
/** One more layer: 10% more MatMul work; the benchmark measures how much slower that really is. */
export const SLOWER: MlpShape = { ...UNCHANGED, layers: UNCHANGED.layers + 1 };

/** `graphName` changes only the bytes: a copy that computes the same, but is a different file to the cache. */
export function mlp(shape: MlpShape, graphName = `mlp${shape.layers}`): ModelProto {
  const rng = mulberry32(1); // the same weights for the layers both models share
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  let x = 'x';
  for (let i = 0; i < shape.layers; i++) {
    const w = Float32Array.from({ length: shape.hidden * shape.hidden }, () => (rng() * 2 - 1) / Math.sqrt(shape.hidden));
    initializers.push(encodeTensor(w, [shape.hidden, shape.hidden], { name: `W${i}` }));
    const out = i === shape.layers - 1 ? 'y' : `h${i}`;
    nodes.push(makeNode('MatMul', [x, `W${i}`], [`m${i}`], {}, `layer${i}/MatMul`), makeNode('Tanh', [`m${i}`], [out], {}, `layer${i}/Tanh`));
    x = out;
  }
  const io = (name: string): ReturnType<typeof tensorValueInfo> => tensorValueInfo(name, DataType.FLOAT, [shape.batch, shape.hidden]);
  return makeModel({ nodes, inputs: [io('x')], outputs: [io('y')], initializers, name: graphName });
}

export async function writeMlp(shape: MlpShape, file: string, graphName?: string): Promise<string> {
  await writeModel(mlp(shape, graphName), file, { externalData: false });
  return file;
}
