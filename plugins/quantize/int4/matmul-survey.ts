// Which MatMuls INT4 can rewrite: a constant 2-D float32 weight [K, N] (any graph, Constant nodes and outer scopes
// included) and a float32 activation; every other MatMul is a decision with its reason.
import {
  createNameGenerator, DataType, dataTypeName, normalizeDomain, subgraphsOf, type GraphProto, type ModelProto,
  type NodeProto,
} from '../../../src/api.js';
import type { NodeDecision } from '../decisions.js';
import type { Exclusions } from '../exclusions.js';
import { GraphScope, type ConstantWeight } from '../dynamic/graph-scope.js';

export interface MatMulCandidate {
  node: NodeProto;
  scope: GraphScope;
  weight: ConstantWeight;
  k: number;
  n: number;
  /** the activation input (A) */
  activation: string;
  /** true when the node sits in the main graph (its activation can be captured as a graph output) */
  inMainGraph: boolean;
  label: string;
}

export interface MatMulSurvey {
  scopes: GraphScope[];
  candidates: MatMulCandidate[];
  skipped: NodeDecision[];
  excluded: NodeDecision[];
}

const label = (node: NodeProto, index: number): string => node.name || `${node.op_type ?? 'node'}#${index}`;

function skipReason(node: NodeProto, scope: GraphScope): { weight: ConstantWeight; k: number; n: number } | string {
  const found = scope.constantWeight(node.input[1] ?? '');
  if ('reason' in found) return found.reason;
  const { tensor } = found;
  const name = tensor.name ?? '';
  if (tensor.data_type !== DataType.FLOAT) return `its weight '${name}' is ${dataTypeName(tensor.data_type ?? 0)} (only float32 weights are quantized)`;
  if (tensor.dims.length !== 2) return `its weight '${name}' has rank ${tensor.dims.length} (MatMulNBits takes a 2-D weight [K, N])`;
  const [k, n] = tensor.dims as [number, number];
  if (k === 0 || n === 0) return `its weight '${name}' is empty`;
  const a = scope.info(node.input[0] ?? '');
  if (a?.elemType !== undefined && a.elemType !== DataType.FLOAT) return `its input '${node.input[0] ?? ''}' is ${dataTypeName(a.elemType)}, not float32`;
  if (a?.shape && a.shape.length < 2) return `its input '${node.input[0] ?? ''}' has rank ${a.shape.length} (MatMulNBits needs rank 2 or more)`;
  return { weight: found, k, n };
}

/** Plans every MatMul of every graph without changing anything. */
export function surveyMatMuls(model: ModelProto, exclusions: Exclusions): MatMulSurvey {
  const names = createNameGenerator(model);
  const survey: MatMulSurvey = { scopes: [], candidates: [], skipped: [], excluded: [] };
  const visit = (graph: GraphProto, path: string, parent: GraphScope | undefined): void => {
    const scope = new GraphScope(graph, path, parent, names);
    survey.scopes.push(scope);
    graph.node.forEach((node, index) => {
      if (node.op_type === 'MatMul' && normalizeDomain(node.domain) === '') {
        const decision = { node: label(node, index), opType: 'MatMul', graph: path };
        const excluded = exclusions.reason(node);
        const plan = excluded ?? skipReason(node, scope);
        if (excluded) survey.excluded.push({ ...decision, reason: excluded });
        else if (typeof plan === 'string') survey.skipped.push({ ...decision, reason: plan });
        else survey.candidates.push({ node, scope, ...plan, activation: node.input[0] ?? '', inMainGraph: parent === undefined, label: decision.node });
      }
      for (const sub of subgraphsOf(node)) visit(sub.graph, `${path}/${label(node, index)}.${sub.attribute}`, scope);
    });
  };
  if (model.graph) visit(model.graph, model.graph.name || 'main', undefined);
  return survey;
}

/** The key of a candidate's weight: one packed copy per (owning graph, weight name), shared by every reader. */
export function weightKey(candidate: MatMulCandidate): string {
  return `${candidate.weight.owner.path}|${candidate.weight.tensor.name ?? ''}`;
}
