// Rewriting pass of FP16: initializers to float16 (in place, or a copy when float32 readers remain), Casts where a
// tensor meets a node of the other precision, graph outputs leaving in the precision the boundary asks for.
import { DataType, normalizeDomain, type NodeProto, type TensorProto } from '../../../src/api.js';
import { halfCopy, halveInPlace, type HalfStats } from './half-tensor.js';
import { castTo, type HalfScope, type Precision } from './half-scope.js';

export interface InitializerStats {
  /** converted in place (every reader runs in float16) */
  converted: number;
  /** float32 kept and a float16 copy added (readers of both precisions) */
  copied: number;
  /** float32 initializers left as they are (only float32 readers) */
  kept: number;
  /** per tensor, values clamped or raised to stay finite and non-zero in float16 */
  adjusted: Array<{ tensor: string } & HalfStats>;
}

/** Decides each float initializer from its readers' needs; call after planning, before rewriting. */
export function convertInitializers(scopes: readonly HalfScope[]): InitializerStats {
  const stats: InitializerStats = { converted: 0, copied: 0, kept: 0, adjusted: [] };
  const note = (tensor: string, s: HalfStats): void => {
    if (s.clamped || s.raised) stats.adjusted.push({ tensor, ...s });
  };
  for (const scope of scopes) {
    const added: TensorProto[] = [];
    for (const [name, tensor] of scope.initializers) {
      if (tensor.data_type !== DataType.FLOAT) continue;
      const needs = scope.demands.get(name);
      // an initializer that is also a graph input converts with the inputs (keep_io_types false)
      const asInput = scope.inputs.has(name) && scope.half.has(name);
      if (asInput || (needs?.has('fp16') && !needs.has('fp32'))) {
        note(name, halveInPlace(tensor));
        scope.half.add(name);
        stats.converted++;
      } else if (needs?.has('fp16')) {
        const copy = halfCopy(tensor, scope.names(`${name}_fp16`));
        note(name, copy.stats);
        added.push(copy.tensor);
        scope.versions.set(name, { fp16: copy.tensor.name ?? '' });
        stats.copied++;
      } else {
        stats.kept++;
      }
    }
    scope.graph.initializer.push(...added);
  }
  return stats;
}

function castNode(scope: HalfScope, input: string, output: string, to: Precision): NodeProto {
  return {
    name: scope.names(`${output}_boundary_cast`), op_type: 'Cast', domain: '', input: [input], output: [output],
    attribute: [castTo(scope.opset, to)],
  };
}

/** A main-graph output produced in the other precision: the producer writes a new name, a Cast writes the output. */
function castAtBoundary(scope: HalfScope, node: NodeProto, out: NodeProto[], outputs: ReadonlyMap<string, Precision>): void {
  node.output.forEach((name, i) => {
    const sink = outputs.get(name);
    if (!sink) return;
    const produced: Precision = scope.half.has(name) ? 'fp16' : 'fp32';
    if (produced === sink) return;
    const natural = scope.names(`${name}_${produced}`);
    node.output[i] = natural;
    scope.natural.set(name, natural);
    scope.versions.set(name, { ...scope.versions.get(name), [sink]: name });
    out.push(castNode(scope, natural, name, sink));
  });
}

/** Rewrites `scope`'s nodes (and, at each owner, its bodies) in place. */
export function rewriteScope(scope: HalfScope): void {
  const out: NodeProto[] = [];
  const isMain = scope.parent === undefined;
  const mainOutputs = new Map<string, Precision>();
  if (isMain) scope.graph.output.forEach((vi, i) => scope.sinks[i] && mainOutputs.set(vi.name ?? '', scope.sinks[i]!));
  for (const node of scope.graph.node) {
    const plan = scope.plans.get(node);
    if (plan) {
      plan.inputs.forEach((need, i) => {
        if (need) node.input[i] = scope.resolve(node.input[i] ?? '', need, out);
      });
      plan.retype?.();
    }
    for (const body of scope.bodies.get(node) ?? []) rewriteScope(body);
    out.push(node);
    if (node.op_type === 'Cast' && normalizeDomain(node.domain) === '' && node.input[0]) scope.castSources.set(node.output[0] ?? '', node.input[0]);
    if (isMain) castAtBoundary(scope, node, out, mainOutputs);
  }
  if (!isMain) {
    // body outputs are positional: the output may simply name the other precision's version
    scope.graph.output.forEach((vi, i) => {
      const sink = scope.sinks[i];
      if (sink) vi.name = scope.resolve(vi.name ?? '', sink, out);
    });
  }
  scope.graph.node = out;
}
