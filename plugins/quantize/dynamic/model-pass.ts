// The model-level pass: walk every graph (If/Loop/Scan bodies too), plan each candidate node, raise the opset if needed, rewrite, prune.
import {
  convertOpset, createNameGenerator, normalizeDomain, opsetVersion, pruneModel, raiseIrVersion, subgraphsOf,
  type GraphProto, type ModelProto, type NameGenerator, type NodeProto,
} from '../../../src/api.js';
import type { NodeDecision } from '../decisions.js';
import { createExclusions, type Exclusions } from '../exclusions.js';
import { GraphScope } from './graph-scope.js';
import type { NodePlan, OpHandler } from './ops/op-handler.js';
import { DYNAMIC_HANDLERS } from './ops/registry.js';
import type { DynamicInt8Options } from './dynamic-options.js';
import { WeightStore, type WeightStats } from './quantized-weights.js';
import { WeightQuantError } from '../weight-quant.js';

export interface PassOptions extends DynamicInt8Options {
  signal?: AbortSignal;
  /** fraction of candidate nodes done, with the node being worked on */
  progress?(fraction: number, message: string): void;
}

export interface PassResult {
  model: ModelProto;
  /** false when no node was quantized: `model` is then the input, untouched */
  changed: boolean;
  quantized: Record<string, number>;
  skipped: NodeDecision[];
  excluded: NodeDecision[];
  opset: { before: number; after: number; convertedNodes: number };
  weights: WeightStats;
  pruned: { nodes: number; initializers: number };
  unusedGlobs: string[];
  inertExcludedOps: string[];
  /** candidate op nodes inside model-local functions, which this pass does not rewrite */
  functionNodes: number;
}

interface Candidate {
  node: NodeProto;
  scope: GraphScope;
  handler: OpHandler;
  plan: Extract<NodePlan, { apply: unknown }>;
}

interface Survey {
  scopes: GraphScope[];
  candidates: Candidate[];
  skipped: NodeDecision[];
  excluded: NodeDecision[];
}

const label = (node: NodeProto, index: number): string => node.name || `${node.op_type ?? 'node'}#${index}`;

/** Plans every node of every graph without changing anything. */
function survey(model: ModelProto, options: PassOptions, exclusions: Exclusions, weights: WeightStore, names: NameGenerator): Survey {
  const result: Survey = { scopes: [], candidates: [], skipped: [], excluded: [] };
  const visit = (graph: GraphProto, path: string, parent: GraphScope | undefined): void => {
    const scope = new GraphScope(graph, path, parent, names);
    result.scopes.push(scope);
    graph.node.forEach((node, index) => {
      const opType = node.op_type ?? '';
      const handler = normalizeDomain(node.domain) === '' && options.opTypes.includes(opType) ? DYNAMIC_HANDLERS.get(opType) : undefined;
      if (handler) {
        const decision = { node: label(node, index), opType, graph: path };
        const excluded = exclusions.reason(node);
        const plan = excluded ? undefined : handler.plan(node, { scope, weights });
        if (excluded) result.excluded.push({ ...decision, reason: excluded });
        else if (plan && 'skip' in plan) result.skipped.push({ ...decision, reason: plan.skip });
        else if (plan) result.candidates.push({ node, scope, handler, plan });
      }
      for (const sub of subgraphsOf(node)) visit(sub.graph, `${path}/${label(node, index)}.${sub.attribute}`, scope);
    });
  };
  if (model.graph) visit(model.graph, model.graph.name || 'main', undefined);
  return result;
}

function countFunctionNodes(model: ModelProto, opTypes: string[]): number {
  let n = 0;
  for (const fn of model.functions ?? []) for (const node of fn.node) if (opTypes.includes(node.op_type ?? '')) n += 1;
  return n;
}

/** Rewrites the planned nodes in place (graph by graph); a node whose weight turns out unusable is skipped instead. */
function rewrite(survey: Survey, options: PassOptions): { quantized: Record<string, number>; late: NodeDecision[] } {
  const byNode = new Map(survey.candidates.map((c) => [c.node, c]));
  const quantized: Record<string, number> = {};
  const late: NodeDecision[] = [];
  let done = 0;
  for (const scope of survey.scopes) {
    const nodes: NodeProto[] = [];
    scope.graph.node.forEach((node, index) => {
      const candidate = byNode.get(node);
      if (!candidate) {
        nodes.push(node);
        return;
      }
      options.signal?.throwIfAborted();
      options.progress?.(done / survey.candidates.length, `${node.op_type ?? ''} ${label(node, index)}`);
      try {
        nodes.push(...candidate.plan.apply());
        quantized[candidate.handler.opType] = (quantized[candidate.handler.opType] ?? 0) + 1;
      } catch (err) {
        if (!(err instanceof WeightQuantError)) throw err;
        late.push({ node: label(node, index), opType: node.op_type ?? '', graph: scope.path, reason: `its weight ${err.message}` });
        nodes.push(node);
      }
      done += 1;
    });
    scope.graph.node = nodes;
  }
  // initializers last: a subgraph's node may have added a quantized weight to an enclosing graph
  for (const scope of survey.scopes) scope.graph.initializer.push(...scope.addedInitializers());
  return { quantized, late };
}

/**
 * Dynamic INT8 over a whole model. Plans first (no change), raises the default-domain opset only when a node will be
 * quantized and the ops written need it, then rewrites the graphs of the model it was given in place and returns the
 * pruned result (float weights nobody reads any more are dropped).
 */
export function quantizeModel(input: ModelProto, options: PassOptions): PassResult {
  const exclusions = createExclusions(options.excludeOps, options.excludeNodes, options.opTypes);
  const weights = new WeightStore(options.weight);
  const before = opsetVersion(input, '') ?? 1;
  // old exporters (IR < 4) list every weight as a graph input too; ORT runs those as constants, and so do we
  const working = raiseIrVersion(input, 4);
  let planned = survey(working, options, exclusions, weights, createNameGenerator(working));
  const base = {
    skipped: planned.skipped, excluded: planned.excluded, weights: weights.stats,
    unusedGlobs: exclusions.unusedGlobs(), inertExcludedOps: exclusions.inertOps(),
    functionNodes: countFunctionNodes(input, options.opTypes),
  };
  if (planned.candidates.length === 0) {
    return { ...base, model: input, changed: false, quantized: {}, opset: { before, after: before, convertedNodes: 0 }, pruned: { nodes: 0, initializers: 0 } };
  }
  const needed = Math.max(...planned.candidates.map((c) => c.handler.minOpset));
  let model = working;
  let convertedNodes = 0;
  if (before < needed) {
    const conversion = convertOpset(working, needed);
    model = conversion.model;
    convertedNodes = conversion.converted.length;
    // the conversion made new graph objects: plan again on them (cheap: no weight is read while planning)
    planned = survey(model, options, exclusions, weights, createNameGenerator(model));
  }
  const { quantized, late } = rewrite(planned, options);
  if (Object.keys(quantized).length === 0) {
    // every planned node failed late (NaN weights): nothing was rewritten, keep the input as it was
    return { ...base, skipped: [...planned.skipped, ...late], model: input, changed: false, quantized, opset: { before, after: before, convertedNodes: 0 }, pruned: { nodes: 0, initializers: 0 } };
  }
  const pruned = pruneModel(model);
  return {
    ...base,
    excluded: planned.excluded,
    skipped: [...planned.skipped, ...late],
    model: pruned.model,
    changed: true,
    quantized,
    opset: { before, after: opsetVersion(pruned.model, '') ?? before, convertedNodes },
    pruned: { nodes: pruned.removedNodes, initializers: pruned.removedInitializers },
  };
}
