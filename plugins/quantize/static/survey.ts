// Plans every node of the model for static QDQ without changing anything: which handler, which inputs are activations,
// and why the rest stay float (excluded, unsupported, inside an If/Loop body ORT cannot calibrate).
import {
  initializerMap, normalizeDomain, subgraphsOf, tensorInfo, type GraphProto, type ModelProto, type NodeProto, type TensorProto,
} from '../../../src/api.js';
import type { NodeDecision } from '../decisions.js';
import type { Exclusions } from '../exclusions.js';
import type { StaticHandlerContext, StaticOpHandler, StaticPlan } from './ops/op-handler.js';
import { STATIC_HANDLERS } from './ops/registry.js';

export interface Candidate {
  node: NodeProto;
  /** its position in the main graph */
  index: number;
  label: string;
  handler: StaticOpHandler;
  plan: StaticPlan;
}

export interface Survey {
  candidates: Candidate[];
  skipped: NodeDecision[];
  excluded: NodeDecision[];
  constants: Map<string, TensorProto>;
}

export const nodeLabel = (node: NodeProto, index: number): string => node.name || `${node.op_type ?? 'node'}#${index}`;

/** Quantizable nodes inside subgraphs: reported, not rewritten (their tensors cannot be fetched for calibration). */
function subgraphSkips(graph: GraphProto, path: string, opTypes: readonly string[], out: NodeDecision[]): void {
  graph.node.forEach((node, index) => {
    for (const sub of subgraphsOf(node)) {
      const inner = `${path}/${nodeLabel(node, index)}.${sub.attribute}`;
      sub.graph.node.forEach((n, i) => {
        const handler = STATIC_HANDLERS.get(n.op_type ?? '');
        if (handler?.kind === 'compute' && opTypes.includes(n.op_type ?? '')) {
          out.push({ node: nodeLabel(n, i), opType: n.op_type ?? '', graph: inner, reason: 'it is inside an If/Loop/Scan body, whose activations ONNX Runtime cannot output for calibration' });
        }
      });
      subgraphSkips(sub.graph, inner, opTypes, out);
    }
  });
}

export function surveyStatic(model: ModelProto, opTypes: readonly string[], exclusions: Exclusions): Survey {
  const graph = model.graph!;
  const constants = initializerMap(graph);
  const path = graph.name || 'main';
  const ctx: StaticHandlerContext = { constant: (name) => constants.get(name), info: (name) => tensorInfo(graph, name) };
  const survey: Survey = { candidates: [], skipped: [], excluded: [], constants };
  graph.node.forEach((node, index) => {
    const opType = node.op_type ?? '';
    const handler = normalizeDomain(node.domain) === '' ? STATIC_HANDLERS.get(opType) : undefined;
    // compute ops are the ones asked for; shared and folded ops follow them wherever they sit between quantized ops
    if (!handler || (handler.kind === 'compute' && !opTypes.includes(opType))) return;
    const label = nodeLabel(node, index);
    const decision = { node: label, opType, graph: path };
    const excluded = exclusions.reason(node);
    if (excluded) {
      survey.excluded.push({ ...decision, reason: excluded });
      return;
    }
    const plan = handler.plan(node, ctx);
    if ('skip' in plan) survey.skipped.push({ ...decision, reason: plan.skip });
    else survey.candidates.push({ node, index, label, handler, plan });
  });
  subgraphSkips(graph, path, opTypes, survey.skipped);
  return survey;
}

/** The activations calibration must observe: every candidate's activation inputs and outputs, in graph order. */
export function calibrationTensors(model: ModelProto, survey: Survey): string[] {
  const names = new Set<string>();
  for (const input of model.graph!.input) if (input.name && !survey.constants.has(input.name)) names.add(input.name);
  const wanted = new Set<string>();
  for (const c of survey.candidates) {
    for (const i of c.plan.activations) {
      const name = c.node.input[i] ?? '';
      if (name && !survey.constants.has(name)) wanted.add(name);
    }
    for (const out of c.node.output) if (out) wanted.add(out);
  }
  // graph order keeps tensors computed close together in the same capture pass
  const ordered = [...names].filter((n) => wanted.has(n));
  for (const node of model.graph!.node) for (const out of node.output) if (wanted.has(out)) ordered.push(out);
  return ordered;
}
