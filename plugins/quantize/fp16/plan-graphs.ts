// Planning pass of FP16: every graph's nodes in order, each node's precision, and what each initializer's readers need.
import { subgraphsOf, type GraphElemTypes, type NameGenerator, type NodeProto } from '../../../src/api.js';
import type { NodeDecision } from '../decisions.js';
import type { Exclusions } from '../exclusions.js';
import { HalfScope, type Precision } from './half-scope.js';
import { planNode, type NodePlan } from './node-plan.js';

export interface PlanOptions {
  opset: number;
  blockedOps: ReadonlyMap<string, string>;
  exclusions: Exclusions;
  keepIoTypes: boolean;
  names: NameGenerator;
  types: GraphElemTypes;
}

export interface Planned {
  scopes: HalfScope[];
  kept: NodeDecision[];
  converted: Record<string, number>;
}

const label = (node: NodeProto, index: number): string => node.name || `${node.op_type ?? 'node'}#${index}`;

/** Body inputs whose precision follows the owner: Loop's carried values (after iter and cond), all of Scan's. */
function bodyInputStart(owner: NodeProto): number | undefined {
  if (owner.op_type === 'Loop') return 2;
  if (owner.op_type === 'Scan') return 0;
  return undefined;
}

/** Body outputs whose precision follows the owner: Loop's after its condition, all of If's and Scan's. */
function bodyOutputStart(owner: NodeProto): number {
  return owner.op_type === 'Loop' ? 1 : 0;
}

function planBody(scope: HalfScope, owner: NodeProto, plan: NodePlan, body: HalfScope, options: PlanOptions, result: Planned): void {
  const precision: Precision = plan.body ?? 'fp32';
  const inputStart = bodyInputStart(owner);
  if (inputStart !== undefined && precision === 'fp16') {
    body.graph.input.forEach((vi, i) => {
      if (i >= inputStart && body.isFloat(vi.name ?? '')) body.half.add(vi.name ?? '');
    });
  }
  planScope(body, options, result);
  const outputStart = bodyOutputStart(owner);
  body.sinks = body.graph.output.map((vi, i) => {
    const name = vi.name ?? '';
    if (i < outputStart || !(body.isFloat(name) || body.isHalf(name))) return undefined;
    body.demand(name, precision);
    return precision;
  });
}

function planScope(scope: HalfScope, options: PlanOptions, result: Planned): void {
  const ctx = {
    opset: options.opset, blockedOps: options.blockedOps, exclusions: options.exclusions,
    isFloat: (name: string) => scope.isFloat(name),
    isHalf: (name: string) => scope.isHalf(name),
    isInitializer: (name: string) => scope.isInitializer(name),
    typeOf: (name: string) => scope.typeOf(name),
  };
  scope.graph.node.forEach((node, index) => {
    const plan = planNode(node, ctx);
    scope.plans.set(node, plan);
    plan.inputs.forEach((need, i) => {
      if (need) scope.demand(node.input[i] ?? '', need);
    });
    plan.outputs.forEach((half, i) => {
      if (half) scope.half.add(node.output[i] ?? '');
    });
    const op = node.op_type ?? '';
    // counted when the node computes in float16 (a Shape reading a float16 tensor converts nothing)
    const computesHalf = plan.convert && (plan.outputs.some(Boolean) || plan.inputs.includes('fp16'));
    if (computesHalf) result.converted[op] = (result.converted[op] ?? 0) + 1;
    else if (plan.reason) result.kept.push({ node: label(node, index), opType: op, graph: scope.path, reason: plan.reason });
    const bodies = subgraphsOf(node).map((sub) => {
      const types = options.types.get(sub.graph) ?? new Map<string, number>();
      return new HalfScope(sub.graph, `${scope.path}/${label(node, index)}.${sub.attribute}`, scope, options.names, options.opset, types);
    });
    if (bodies.length) scope.bodies.set(node, bodies);
    for (const body of bodies) {
      result.scopes.push(body);
      planBody(scope, node, plan, body, options, result);
    }
  });
}

/** Plans the main graph (its float inputs/outputs per keep_io_types) and, through its nodes, every body. */
export function planGraphs(main: HalfScope, options: PlanOptions): Planned {
  const result: Planned = { scopes: [main], kept: [], converted: {} };
  const boundary: Precision = options.keepIoTypes ? 'fp32' : 'fp16';
  if (boundary === 'fp16') {
    for (const vi of main.graph.input) if (main.isFloat(vi.name ?? '')) main.half.add(vi.name ?? '');
  }
  planScope(main, options, result);
  main.sinks = main.graph.output.map((vi) => {
    const name = vi.name ?? '';
    if (!(main.isFloat(name) || main.isHalf(name))) return undefined;
    main.demand(name, boundary);
    return boundary;
  });
  return result;
}
