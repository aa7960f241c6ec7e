// Where Q/DQ pairs go: which planned nodes run quantized, which tensors get a QuantizeLinear, their scales (shared where
// ORT needs equal ones), and which Relu/Clip fold into the op before them. Pure: the graph is only read.
import { consumerMap, nodeInputs, producerMap, type ModelProto, type NodeProto } from '../../../src/api.js';
import type { ActivationRange } from '../calibration/range-methods.js';
import type { NodeDecision } from '../decisions.js';
import { quantParams, quantRange } from '../weight-quant.js';
import type { Candidate, Survey } from './survey.js';

export interface TensorQuant {
  scale: number;
  zeroPoint: number;
}

export interface Placement {
  /** compute and shared nodes that run quantized, in graph order */
  quantized: Set<NodeProto>;
  /** folded Relu/Clip → the quantized node whose output quantization replaces it */
  folds: Map<NodeProto, NodeProto>;
  /** activation tensors (by their name after folding) that get a QuantizeLinear, with their parameters */
  tensors: Map<string, TensorQuant>;
  /** candidates left in float, and why */
  float: NodeDecision[];
  /** layers mixed precision keeps in float: their weights are still stored int8 (a DequantizeLinear before them) */
  weightOnly: Set<NodeProto>;
}

export interface PlacementOptions {
  activation: { type: 'uint8' | 'int8'; symmetric: boolean };
  /** candidate labels to keep in float (mixed precision) */
  keepFloat?: ReadonlySet<string>;
}

interface Graph {
  outputs: Set<string>;
  consumers: Map<string, NodeProto[]>;
  producers: Map<string, NodeProto>;
  /** names read by If/Loop bodies from this graph: renaming them would need edits inside the bodies */
  implicit: Set<string>;
}

function graphFacts(model: ModelProto): Graph {
  const graph = model.graph!;
  const implicit = new Set<string>();
  for (const node of graph.node) {
    if (!node.attribute.some((a) => a.g || a.graphs?.length)) continue;
    const explicit = new Set(node.input);
    for (const name of nodeInputs(node)) if (!explicit.has(name)) implicit.add(name);
  }
  return { outputs: new Set(graph.output.map((o) => o.name ?? '')), consumers: consumerMap(graph), producers: producerMap(graph), implicit };
}

/** Union-find over tensor names: tensors in one set share one scale and zero point. */
class SharedScales {
  private readonly parent = new Map<string, string>();
  find(name: string): string {
    let root = name;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(name, root);
    return root;
  }
  union(a: string, b: string): void {
    this.parent.set(this.find(b), this.find(a));
  }
}

const activationInputs = (c: Candidate, constants: Survey['constants']): string[] =>
  c.plan.activations.map((i) => c.node.input[i] ?? '').filter((n) => n && !constants.has(n));

/** Why a compute candidate cannot run quantized with these ranges, if it cannot. */
function computeProblem(c: Candidate, survey: Survey, ranges: ReadonlyMap<string, ActivationRange>, g: Graph): string | undefined {
  const outputs = c.node.output.filter((o) => o !== '');
  if (outputs.length !== 1) return `it has ${outputs.length} outputs`;
  const out = outputs[0]!;
  if (g.outputs.has(out) && !c.handler.quantizeGraphOutput) return `its output '${out}' is a graph output (kept in float: the op gains nothing from uint8 there)`;
  for (const name of [...activationInputs(c, survey.constants), out]) {
    if (!ranges.has(name)) return `no calibration range for '${name}'`;
    if (g.implicit.has(name)) return `'${name}' is read inside an If/Loop body`;
  }
  return undefined;
}

function paramsFor(range: ActivationRange, options: PlacementOptions): TensorQuant {
  const { type, symmetric } = options.activation;
  return quantParams(range.min, range.max, quantRange(type, symmetric, false), symmetric);
}

/** The interval a QuantizeLinear with these parameters can represent. */
export function representable(q: TensorQuant, type: 'uint8' | 'int8'): { lo: number; hi: number } {
  const [qmin, qmax] = type === 'uint8' ? [0, 255] : [-128, 127];
  return { lo: (qmin - q.zeroPoint) * q.scale, hi: (qmax - q.zeroPoint) * q.scale };
}

/** What one attempt works from: the facts, the inputs and the decisions collected so far. */
interface Attempt {
  g: Graph;
  survey: Survey;
  ranges: ReadonlyMap<string, ActivationRange>;
  keep: ReadonlySet<string>;
  float: NodeDecision[];
  graphName: string;
}

const clampOf = (c: Candidate, survey: Survey) => c.handler.clampRange?.(c.node, { constant: (n) => survey.constants.get(n), info: () => undefined });

function decide(a: Attempt, c: Candidate, reason: string): void {
  a.float.push({ node: c.label, opType: c.node.op_type ?? '', graph: a.graphName, reason });
}

/** Compute candidates that can run quantized with these ranges (the rest decided float, with why). */
function computeNodes(a: Attempt): Set<NodeProto> {
  const quantized = new Set<NodeProto>();
  for (const c of a.survey.candidates) {
    if (c.handler.kind !== 'compute') continue;
    const problem = a.keep.has(c.label) ? 'kept in float by mixed precision' : computeProblem(c, a.survey, a.ranges, a.g);
    if (problem) decide(a, c, problem);
    else quantized.add(c.node);
  }
  return quantized;
}

/** Relu/Clip whose input only they read, written by a quantized node: folded (that node then writes their output). */
function foldNodes(a: Attempt, quantized: Set<NodeProto>, noFold: Set<NodeProto>): { folds: Map<NodeProto, NodeProto>; renamed: Map<string, string> } {
  const folds = new Map<NodeProto, NodeProto>();
  const renamed = new Map<string, string>(); // producer output → the fold's output it now writes
  for (const c of a.survey.candidates) {
    if (c.handler.kind !== 'fold' || a.keep.has(c.label) || noFold.has(c.node)) continue;
    const x = c.node.input[0] ?? '';
    const y = c.node.output[0] ?? '';
    const producer = a.g.producers.get(x);
    if (!producer || !quantized.has(producer) || a.g.outputs.has(x) || (a.g.consumers.get(x) ?? []).length !== 1) continue;
    if (!a.ranges.has(y) || a.g.implicit.has(y) || !clampOf(c, a.survey)) continue;
    folds.set(c.node, producer);
    renamed.set(x, y);
  }
  return { folds, renamed };
}

/** Adds the data-movement nodes next to quantized tensors (to a fixpoint), joining their input and output scales. */
function addSharedNodes(a: Attempt, quantized: Set<NodeProto>, tensors: Set<string>, shared: SharedScales): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of a.survey.candidates) {
      if (c.handler.kind !== 'shared' || quantized.has(c.node) || a.keep.has(c.label)) continue;
      const input = c.node.input[0] ?? '';
      const out = c.node.output[0] ?? '';
      if (!(tensors.has(input) || tensors.has(out))) continue;
      if (!a.ranges.has(input) || a.survey.constants.has(input) || a.g.outputs.has(out) || a.g.implicit.has(out) || a.g.implicit.has(input)) continue;
      quantized.add(c.node);
      tensors.add(input);
      tensors.add(out);
      shared.union(input, out);
      changed = true;
    }
  }
}

/** Parameters per tensor; a shared set's range is the union of its members' (data movement only narrows it). */
function tensorParams(tensors: Set<string>, shared: SharedScales, a: Attempt, options: PlacementOptions): Map<string, TensorQuant> {
  const unionRange = new Map<string, ActivationRange>();
  for (const name of tensors) {
    const r = a.ranges.get(name)!;
    const root = shared.find(name);
    const u = unionRange.get(root);
    unionRange.set(root, u ? { min: Math.min(u.min, r.min), max: Math.max(u.max, r.max) } : { ...r });
  }
  return new Map([...tensors].map((name) => [name, paramsFor(unionRange.get(shared.find(name))!, options)]));
}

/** One placement attempt; `noFold` lists folds a previous attempt found inexact. */
function attempt(model: ModelProto, survey: Survey, ranges: ReadonlyMap<string, ActivationRange>, options: PlacementOptions, noFold: Set<NodeProto>, g: Graph): Placement & { inexact: NodeProto[] } {
  const a: Attempt = { g, survey, ranges, keep: options.keepFloat ?? new Set<string>(), float: [], graphName: model.graph!.name || 'main' };
  const byNode = new Map(survey.candidates.map((c) => [c.node, c]));
  const quantized = computeNodes(a);
  const { folds, renamed } = foldNodes(a, quantized, noFold);
  const quantizedTensors = new Set<string>();
  for (const node of quantized) {
    for (const name of activationInputs(byNode.get(node)!, survey.constants)) quantizedTensors.add(renamed.get(name) ?? name);
    const out = node.output.find((o) => o !== '')!;
    quantizedTensors.add(renamed.get(out) ?? out);
  }
  const shared = new SharedScales();
  addSharedNodes(a, quantized, quantizedTensors, shared);
  for (const c of survey.candidates) {
    if (a.keep.has(c.label)) continue;
    if (c.handler.kind === 'shared' && !quantized.has(c.node)) decide(a, c, 'no quantized op next to it (a Q/DQ pair here would only cost time)');
    if (c.handler.kind === 'fold' && !folds.has(c.node)) decide(a, c, 'runs in float: it follows no quantized op whose output it alone reads, or its clamp differs from the quantization range');
  }
  const tensors = tensorParams(quantizedTensors, shared, a, options);
  const inexact: NodeProto[] = [];
  for (const [fold] of folds) {
    const clamp = clampOf(byNode.get(fold)!, survey)!;
    const q = tensors.get(fold.output[0]!)!;
    const span = representable(q, options.activation.type);
    // the QuantizeLinear must clamp where the op did (within half a step): e.g. Relu needs the zero point at qmin
    if (span.lo < clamp.lo - q.scale / 2 || span.hi > clamp.hi + q.scale / 2) inexact.push(fold);
  }
  const weightOnly = new Set(survey.candidates.filter((c) => c.handler.kind === 'compute' && a.keep.has(c.label) && c.plan.weight).map((c) => c.node));
  return { quantized, folds, tensors, float: a.float, weightOnly, inexact };
}

/** Decides the placement for the survey's candidates with these calibration ranges. */
export function placeQdq(model: ModelProto, survey: Survey, ranges: ReadonlyMap<string, ActivationRange>, options: PlacementOptions): Placement {
  const g = graphFacts(model);
  const noFold = new Set<NodeProto>();
  for (;;) {
    const result = attempt(model, survey, ranges, options, noFold, g);
    if (result.inexact.length === 0) {
      const { inexact: _, ...placement } = result;
      return placement;
    }
    for (const n of result.inexact) noFold.add(n);
  }
}
