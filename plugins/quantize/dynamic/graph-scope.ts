// One graph being quantized: where its weights come from (outer scopes included), its new initializers and shared activation quantizers.
import {
  definedNames, initializerMap, makeAttribute, producerMap, tensorInfo,
  type AttributeValue, type GraphProto, type NameGenerator, type NodeProto, type TensorInfo, type TensorProto,
} from '../../../src/api.js';

/** An attribute to build: its name and a value makeAttribute understands. */
export type AttributeSpec = [name: string, value: AttributeValue];

/** A weight that is a constant of some enclosing graph: the tensor and the scope that owns it. */
export interface ConstantWeight {
  tensor: TensorProto;
  owner: GraphScope;
}

/** The three outputs of a DynamicQuantizeLinear node. */
export interface QuantizedActivation {
  data: string;
  scale: string;
  zeroPoint: string;
}

export class GraphScope {
  readonly graph: GraphProto;
  readonly parent: GraphScope | undefined;
  /** readable place, e.g. `main/If_0.then_branch` */
  readonly path: string;
  readonly names: NameGenerator;
  private readonly constants: Map<string, TensorProto>;
  private readonly defined: Set<string>;
  private readonly inputs: Set<string>;
  private readonly producers: Map<string, NodeProto>;
  private readonly activations = new Map<string, QuantizedActivation>();
  private readonly added: TensorProto[] = [];

  constructor(graph: GraphProto, path: string, parent: GraphScope | undefined, names: NameGenerator) {
    this.graph = graph;
    this.path = path;
    this.parent = parent;
    this.names = names;
    this.constants = initializerMap(graph);
    this.defined = definedNames(graph);
    this.inputs = new Set(graph.input.map((vi) => vi.name ?? ''));
    this.producers = producerMap(graph);
  }

  /** The constant behind `name` (this graph, else an enclosing one), or why it is not a constant. */
  constantWeight(name: string): ConstantWeight | { reason: string } {
    if (!name) return { reason: 'it has no weight input' };
    if (this.inputs.has(name)) return { reason: `its weight '${name}' is a graph input (it can change at run time)` };
    const tensor = this.constants.get(name);
    if (tensor) return { tensor, owner: this };
    if (this.defined.has(name)) {
      const producer = this.producers.get(name);
      const by = producer ? ` (output of ${producer.op_type ?? '?'} node '${producer.name ?? ''}')` : '';
      return { reason: `its weight '${name}' is computed at run time${by}` };
    }
    return this.parent ? this.parent.constantWeight(name) : { reason: `its weight '${name}' is not defined in any enclosing graph` };
  }

  /** Type and shape of a tensor name as far as the model records them (this graph, then enclosing ones). */
  info(name: string): TensorInfo | undefined {
    const outer: GraphProto[] = [];
    for (let s = this.parent; s; s = s.parent) outer.push(s.graph);
    return tensorInfo(this.graph, name, outer);
  }

  /** Adds an initializer to this graph under a fresh name derived from `base`; returns the name. */
  addInitializer(tensor: TensorProto, base: string): string {
    const name = this.names(base);
    const named = { ...tensor, name };
    this.added.push(named);
    return name;
  }

  /** Initializers added so far (appended to the graph by the pass when the graph is rebuilt). */
  addedInitializers(): TensorProto[] {
    return this.added;
  }

  /**
   * The uint8 quantization of a float activation, shared by every quantized consumer in this graph. The first call
   * returns the DynamicQuantizeLinear node to place before that consumer; later calls reuse its outputs.
   */
  quantizeActivation(activation: string): { outputs: QuantizedActivation; node?: NodeProto } {
    const known = this.activations.get(activation);
    if (known) return { outputs: known };
    const base = activation.replace(/[^A-Za-z0-9_./:-]/g, '_');
    const outputs: QuantizedActivation = {
      data: this.names(`${base}_quantized`),
      scale: this.names(`${base}_scale`),
      zeroPoint: this.names(`${base}_zero_point`),
    };
    this.activations.set(activation, outputs);
    const node: NodeProto = {
      name: this.names(`${base}_DynamicQuantizeLinear`), op_type: 'DynamicQuantizeLinear', domain: '',
      input: [activation], output: [outputs.data, outputs.scale, outputs.zeroPoint], attribute: [],
    };
    return { outputs, node };
  }

  /** A default-domain node with a fresh name; attributes as [name, value] pairs for makeAttribute. */
  node(opType: string, base: string, input: string[], output: string[], attributes: AttributeSpec[] = []): NodeProto {
    return {
      name: this.names(base), op_type: opType, domain: '', input, output,
      attribute: attributes.map(([name, value]) => makeAttribute(name, value)),
    };
  }
}
