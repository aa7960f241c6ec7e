// FP16 over a whole model: Constant weights become initializers, every graph is planned, rewritten and retyped,
// back-to-back Casts are folded and what nobody reads any more is pruned.
import {
  createNameGenerator, DataType, foldCasts, hoistConstantNodes, inferElemTypes, opsetVersion, pruneModel, walkGraphs,
  type ModelProto,
} from '../../../src/api.js';
import type { NodeDecision } from '../decisions.js';
import { createExclusions } from '../exclusions.js';
import type { Fp16Options } from './fp16-options.js';
import { HalfScope } from './half-scope.js';
import { planGraphs } from './plan-graphs.js';
import { convertInitializers, rewriteScope, type InitializerStats } from './rewrite-graphs.js';
import { updateValueTypes } from './value-types.js';

/** Below opset 6 Cast's `to` is a string; ORT's CPU fallback inserts integer ones and rejects the model (probed, ORT 1.30). */
const MIN_OPSET = 6;

export interface HalfResult {
  model: ModelProto;
  changed: boolean;
  /** converted nodes per op type */
  converted: Record<string, number>;
  /** nodes touching float tensors that stay float32, and why */
  kept: NodeDecision[];
  initializers: InitializerStats;
  /** Casts left in the model that this pass inserted (after folding) */
  casts: number;
  folded: { rewired: number; removed: number };
  hoistedConstants: number;
  /** node-name globs that matched no node */
  unusedGlobs: string[];
}

function countCasts(model: ModelProto, before: Set<string>): number {
  let n = 0;
  for (const { graph } of walkGraphs(model.graph!)) {
    for (const node of graph.node) if (node.op_type === 'Cast' && !before.has(node.name ?? '')) n++;
  }
  return n;
}

/** Converts `model` (in place; the returned model shares its tensors) to float16 compute and weights. */
export function convertToHalf(model: ModelProto, options: Fp16Options, signal?: AbortSignal): HalfResult | { refused: string } {
  const graph = model.graph!;
  const opset = opsetVersion(model, '') ?? 1;
  if (opset < MIN_OPSET) {
    return { refused: `the model's opset ${opset} is below ${MIN_OPSET}: ONNX Runtime's own float32 fallback for float16 nodes writes Cast-6 attributes, which it then rejects in such models; convert the model to opset ${MIN_OPSET} or later first` };
  }
  const existingCasts = new Set<string>();
  let hoistedConstants = 0;
  for (const visit of walkGraphs(graph)) {
    for (const node of visit.graph.node) if (node.op_type === 'Cast') existingCasts.add(node.name ?? '');
    hoistedConstants += hoistConstantNodes(visit.graph, (t) => t.data_type === DataType.FLOAT);
  }
  const types = inferElemTypes(graph, opset);
  const names = createNameGenerator(model);
  const exclusions = createExclusions([], options.excludeNodes, []);
  const main = new HalfScope(graph, graph.name || 'main', undefined, names, opset, types.get(graph) ?? new Map());
  const planned = planGraphs(main, { opset, blockedOps: options.blockedOps, exclusions, keepIoTypes: options.keepIoTypes, names, types });
  signal?.throwIfAborted();
  const initializers = convertInitializers(planned.scopes);
  rewriteScope(main);
  for (const scope of planned.scopes) updateValueTypes(scope);
  const folded = foldCasts(model);
  const pruned = pruneModel(model).model;
  const changed = Object.keys(planned.converted).length > 0 || initializers.converted + initializers.copied > 0;
  return {
    model: pruned, changed, converted: planned.converted, kept: planned.kept, initializers,
    casts: countCasts(pruned, existingCasts), folded, hoistedConstants, unusedGlobs: exclusions.unusedGlobs(),
  };
}
