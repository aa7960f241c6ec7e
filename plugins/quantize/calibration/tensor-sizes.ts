// Shape and byte size of every node output in a model's main graph, learnt from one profiled ORT run (nothing fetched).
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { withGraphOutputs, type Feeds, type ModelProto, type NodeProto } from '../../../src/api.js';
import { openEditedModel } from './model-session.js';

export interface TensorShape {
  /** ORT's element type name: float, float16, int64, ... */
  type: string;
  dims: number[];
  bytes: number;
}

const ELEMENT_BYTES: Record<string, number> = {
  float: 4, float16: 2, bfloat16: 2, double: 8, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4,
  int64: 8, uint64: 8, bool: 1,
};

interface ProfileEvent {
  cat?: string;
  name?: string;
  args?: { output_type_shape?: Array<Record<string, number[]>> };
}

/** A copy of the model whose main-graph nodes all have distinct names (the profile identifies nodes by name). */
function namedNodes(model: ModelProto): { model: ModelProto; nodes: Map<string, NodeProto> } {
  const nodes = new Map<string, NodeProto>();
  const graph = model.graph!;
  const renamed = graph.node.map((node, i) => {
    const name = node.name && !nodes.has(node.name) ? node.name : `edgeopt_probe_${i}_${node.op_type ?? ''}`;
    const copy = name === node.name ? node : { ...node, name };
    nodes.set(name, copy);
    return copy;
  });
  return { model: { ...model, graph: { ...graph, node: renamed } }, nodes };
}

/**
 * Runs `feeds` once through the model with ORT profiling on (optimizations disabled, so the profiled nodes are the
 * model's own) and reads each node's output shapes from the trace. Tensors the trace does not mention (outputs of
 * nodes ORT folded away, graph inputs) are absent from the result. Only `options.fetch` (a float tensor of the main
 * graph, made an extra output) is fetched: the model's own outputs may be sequences or optional values, which
 * onnxruntime-node cannot return (it throws, or crashes on an optional one), and ORT computes them all anyway.
 */
export async function measureTensorShapes(
  model: ModelProto, feeds: Feeds, options: { ep: string[]; threads?: number; scratchDir: string; fetch: string },
): Promise<Map<string, TensorShape>> {
  const named = namedNodes(model);
  const nodes = named.nodes;
  const probe = withGraphOutputs(named.model, [options.fetch]);
  const prefix = path.join(options.scratchDir, `profile-${process.pid}-${Date.now()}`);
  const opened = await openEditedModel(probe, options.scratchDir, {
    ep: options.ep, ...(options.threads ? { threads: options.threads } : {}),
    sessionOptions: { graphOptimizationLevel: 'disabled', enableProfiling: true, profileFilePrefix: prefix },
  });
  try {
    await opened.session.run(feeds, [options.fetch]);
  } finally {
    opened.session.endProfiling();
    await opened.session.release();
  }
  const dir = path.dirname(prefix);
  const traces = (await readdir(dir)).filter((f) => f.startsWith(path.basename(prefix)) && f.endsWith('.json'));
  const shapes = new Map<string, TensorShape>();
  for (const trace of traces) {
    const file = path.join(dir, trace);
    const events = JSON.parse(await readFile(file, 'utf8')) as ProfileEvent[];
    await rm(file, { force: true });
    for (const event of events) {
      if (event.cat !== 'Node' || !event.name?.endsWith('_kernel_time')) continue;
      const node = nodes.get(event.name.slice(0, -'_kernel_time'.length));
      const described = event.args?.output_type_shape;
      if (!node || !described) continue;
      // the trace lists the outputs that exist, in order: skip the '' placeholders of omitted optional outputs
      const outputs = node.output.filter((o) => o !== '');
      if (outputs.length !== described.length) continue;
      outputs.forEach((name, i) => {
        const [type, dims] = Object.entries(described[i]!)[0] ?? ['unknown', []];
        const count = dims.reduce((a, b) => a * b, 1);
        shapes.set(name, { type, dims, bytes: count * (ELEMENT_BYTES[type] ?? 8) });
      });
    }
  }
  return shapes;
}
