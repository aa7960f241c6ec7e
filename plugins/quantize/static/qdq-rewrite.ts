// Builds the QDQ model from a placement: a QuantizeLinear after each quantized tensor's producer, one DequantizeLinear
// per quantized consumer (ORT fuses a DQ only into its sole consumer), one shared DQ for float consumers, weight and
// bias DQs, folded Relu/Clip removed. A new model: the float model's graph is not modified.
import { quantParams, quantRange } from '../weight-quant.js';
import {
  consumerMap, decodeTensor, encodeTensor, makeAttribute, pruneModel, topologicalSort, type ModelProto, type NameGenerator, type NodeProto, type TensorProto,
} from '../../../src/api.js';
import { floatGuardAxis, type GuardAxis } from './float-guard.js';
import type { Placement, TensorQuant } from './placement.js';
import type { QuantizedTensor, StaticWeights } from './static-weights.js';
import type { Survey } from './survey.js';

export interface BuildContext {
  names: NameGenerator;
  weights: StaticWeights;
  activationType: 'uint8' | 'int8';
}

export interface RewriteResult {
  model: ModelProto;
  /** quantized nodes per op type */
  quantized: Record<string, number>;
  folded: number;
  qdqPairs: number;
}

interface ActivationQdq {
  /** what the producer writes (the tensor itself, or `<name>_prequant` for a graph output) */
  source: string;
  quantized: string;
  scale: string;
  zeroPoint: string;
  /** the shared DQ's output, when float consumers or the graph's outputs read the tensor */
  floatName?: string;
}

const dq = (names: NameGenerator, base: string, input: QuantizedTensor | ActivationQdq, output: string): NodeProto => {
  const node: NodeProto = {
    name: names(`${base}_DequantizeLinear`), op_type: 'DequantizeLinear', domain: '',
    input: ['data' in input ? input.data : input.quantized, input.scale, input.zeroPoint], output: [output], attribute: [],
  };
  if ('data' in input && input.axis !== undefined) node.attribute.push(makeAttribute('axis', { int: input.axis }));
  return node;
};

class Rewriter {
  readonly nodes: NodeProto[] = [];
  readonly added = new Map<string, TensorProto>();
  readonly activations = new Map<string, ActivationQdq>();
  readonly renamed = new Map<string, string>();
  readonly quantized: Record<string, number> = {};
  readonly candidates: Map<NodeProto, Survey['candidates'][number]>;

  constructor(model: ModelProto, private readonly survey: Survey, private readonly placement: Placement, private readonly ctx: BuildContext) {
    this.candidates = new Map(survey.candidates.map((c) => [c.node, c]));
    const graphOutputs = new Set(model.graph!.output.map((o) => o.name ?? ''));
    // a folded Relu's output is written by the op before it
    for (const [fold, producer] of placement.folds) this.renamed.set(producer.output[0]!, fold.output[0]!);
    const consumers = consumerMap(model.graph!);
    for (const [name, q] of placement.tensors) {
      const a = this.activation(name, q, graphOutputs.has(name));
      // float consumers share one DequantizeLinear, placed right after the Q
      const floatConsumer = (consumers.get(name) ?? []).some((n) => !placement.quantized.has(n) && !placement.folds.has(n));
      if (floatConsumer && !a.floatName) a.floatName = ctx.names(`${name}_dequantized`);
      this.activations.set(name, a);
    }
  }

  private addTensors(list: TensorProto[]): void {
    for (const t of list) this.added.set(t.name!, t);
  }

  private activation(name: string, q: TensorQuant, isGraphOutput: boolean): ActivationQdq {
    const { names } = this.ctx;
    const scale = names(`${name}_scale`);
    const zeroPoint = names(`${name}_zero_point`);
    const zp = this.ctx.activationType === 'uint8' ? Uint8Array.of(q.zeroPoint) : Int8Array.of(q.zeroPoint);
    this.addTensors([{ ...encodeTensor(Float32Array.of(q.scale), []), name: scale }, { ...encodeTensor(zp, []), name: zeroPoint }]);
    // a graph output keeps its name on the DQ, so the producer's output reaches ORT's fusion through Q alone
    const source = isGraphOutput ? names(`${name}_prequant`) : name;
    return { source, quantized: names(`${name}_quantized`), scale, zeroPoint, ...(isGraphOutput ? { floatName: name } : {}) };
  }

  /** The float tensor a non-quantized consumer reads for `name`: the shared DQ's output when it is quantized. */
  private floatRead(name: string): string {
    return this.activations.get(name)?.floatName ?? name;
  }

  /** The DQ'd input a quantized consumer reads: its own DequantizeLinear of the activation or constant. */
  private quantizedRead(name: string, label: string): string {
    const { names } = this.ctx;
    let source: QuantizedTensor | ActivationQdq | undefined = this.activations.get(name);
    if (!source) {
      // a constant operand (Add's bias, Mul's factor): quantized like an activation with its own range
      const values = this.survey.constants.get(name)!;
      source = this.ctx.weights.constant(name, constantParams(values, this.ctx.activationType), this.ctx.activationType);
      this.addTensors(source.tensors);
    }
    const output = names(`${name}_dq_${label}`);
    this.nodes.push(dq(names, `${name}_${label}`, source, output));
    return output;
  }

  emitQuantizers(outputs: string[]): void {
    for (const out of outputs) {
      const a = this.activations.get(out);
      if (!a) continue;
      this.nodes.push({
        name: this.ctx.names(`${out}_QuantizeLinear`), op_type: 'QuantizeLinear', domain: '',
        input: [a.source, a.scale, a.zeroPoint], output: [a.quantized], attribute: [],
      });
      if (a.floatName) this.nodes.push(dq(this.ctx.names, out, a, a.floatName));
    }
  }

  quantizedNode(node: NodeProto): void {
    const c = this.candidates.get(node)!;
    const label = c.label.replace(/[^A-Za-z0-9_./:-]/g, '_');
    const inputs = [...node.input];
    for (const i of c.plan.activations) inputs[i] = this.quantizedRead(this.renamed.get(inputs[i]!) ?? inputs[i]!, label);
    const { weight, bias } = c.plan;
    if (weight) {
      const x = this.placement.tensors.get(this.renamed.get(node.input[0]!) ?? node.input[0]!)!;
      const floors = bias ? this.ctx.weights.biasFloors(node.input[bias.input]!, bias.factor ?? 1, x) : undefined;
      const w = this.ctx.weights.weight(node.input[weight.input]!, weight, floors);
      this.addTensors(w.tensors);
      inputs[weight.input] = this.ctx.names(`${node.input[weight.input]}_dequantized`);
      this.nodes.push(dq(this.ctx.names, `${node.input[weight.input]}_${label}`, w, inputs[weight.input]!));
      if (bias) {
        const b = this.ctx.weights.bias(node.input[bias.input]!, bias.factor ?? 1, x, w);
        this.addTensors(b.tensors);
        inputs[bias.input] = this.ctx.names(`${node.input[bias.input]}_dequantized`);
        this.nodes.push(dq(this.ctx.names, `${node.input[bias.input]}_${label}`, b, inputs[bias.input]!));
      }
    }
    this.emit(c.plan.rewrite ? c.plan.rewrite({ ...node, input: inputs }) : { ...node, input: inputs });
    this.quantized[node.op_type ?? ''] = (this.quantized[node.op_type ?? ''] ?? 0) + 1;
  }

  floatNode(node: NodeProto): void {
    const inputs = node.input.map((name) => (name ? this.floatRead(this.renamed.get(name) ?? name) : name));
    const weight = this.placement.weightOnly.has(node) ? this.candidates.get(node)?.plan.weight : undefined;
    if (weight) {
      // int8 weights, float activations: a quarter of the bytes at almost float accuracy (the DQ runs per inference)
      const w = this.ctx.weights.weight(node.input[weight.input]!, weight);
      this.addTensors(w.tensors);
      inputs[weight.input] = this.ctx.names(`${node.input[weight.input]}_dequantized`);
      this.nodes.push(dq(this.ctx.names, `${node.input[weight.input]}_${node.name || 'weight'}`, w, inputs[weight.input]!));
    }
    const x = this.activations.get(this.renamed.get(node.input[0] ?? '') ?? node.input[0] ?? '');
    const guard = x ? floatGuardAxis(node, (n) => this.survey.constants.get(n)) : undefined;
    if (x && guard) inputs[0] = this.guardedRead(node.input[0]!, x, guard);
    this.emit({ ...node, input: inputs });
  }

  /** A per-channel DequantizeLinear of the activation for one float node (see float-guard.ts). */
  private guardedRead(name: string, a: ActivationQdq, guard: GuardAxis): string {
    const { names } = this.ctx;
    const q = this.placement.tensors.get(name)!;
    const scale = names(`${name}_scale_per_channel`);
    const zeroPoint = names(`${name}_zero_point_per_channel`);
    const zps = this.ctx.activationType === 'uint8' ? new Uint8Array(guard.channels).fill(q.zeroPoint) : new Int8Array(guard.channels).fill(q.zeroPoint);
    this.addTensors([{ ...encodeTensor(new Float32Array(guard.channels).fill(q.scale), [guard.channels]), name: scale }, { ...encodeTensor(zps, [guard.channels]), name: zeroPoint }]);
    const output = names(`${name}_dequantized_for_float`);
    this.nodes.push({
      name: names(`${name}_DequantizeLinear_per_channel`), op_type: 'DequantizeLinear', domain: '',
      input: [a.quantized, scale, zeroPoint], output: [output], attribute: [makeAttribute('axis', { int: guard.axis })],
    });
    return output;
  }

  /** Appends the node with its outputs renamed (folds, graph outputs), then the Q (and shared DQ) of each output. */
  private emit(node: NodeProto): void {
    const outputs = node.output.map((o) => this.renamed.get(o) ?? o);
    this.nodes.push({ ...node, output: outputs.map((o) => this.activations.get(o)?.source ?? o) });
    this.emitQuantizers(outputs);
  }
}

/** A constant operand's own range, asymmetric (ORT's binary kernels take any zero point per operand). */
function constantParams(tensor: TensorProto, type: 'uint8' | 'int8'): TensorQuant {
  let lo = 0;
  let hi = 0;
  for (const v of decodeTensor(tensor) as Float32Array) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return quantParams(lo, hi, quantRange(type, false, false), false);
}

/** The quantized model for `placement`; the float weights nobody reads any more are pruned. */
export function rewriteQdq(model: ModelProto, survey: Survey, placement: Placement, ctx: BuildContext): RewriteResult {
  const graph = model.graph!;
  const r = new Rewriter(model, survey, placement, ctx);
  r.emitQuantizers(graph.input.map((i) => i.name ?? ''));
  for (const node of graph.node) {
    if (placement.folds.has(node)) continue;
    if (placement.quantized.has(node)) r.quantizedNode(node);
    else r.floatNode(node);
  }
  const next: ModelProto = { ...model, graph: { ...graph, node: r.nodes, initializer: [...graph.initializer, ...r.added.values()] } };
  next.graph!.node = topologicalSort(next.graph!);
  const pruned = pruneModel(next).model;
  const qdqPairs = pruned.graph!.node.filter((n) => n.op_type === 'QuantizeLinear').length;
  return { model: pruned, quantized: r.quantized, folded: placement.folds.size, qdqPairs };
}
