// One graph during float16 conversion: what it defines, which tensors turn float16, and the Casts made for its nodes.
import {
  DataType, definedNames, makeAttribute, type AttributeProto, type GraphProto, type NameGenerator, type NodeProto,
  type TensorProto,
} from '../../../src/api.js';
import type { Need, NodePlan } from './node-plan.js';

export type Precision = 'fp16' | 'fp32';

/** A Cast this pass inserted: its output and the tensor whose value it carries. */
export interface InsertedCast {
  of: string;
  output: string;
  to: Precision;
}

/** Cast's `to` for a precision: an INT attribute, a STRING before opset 6 (Cast-1). */
export function castTo(opset: number, precision: Precision): AttributeProto {
  if (opset < 6) return makeAttribute('to', precision === 'fp16' ? 'FLOAT16' : 'FLOAT');
  return makeAttribute('to', { int: precision === 'fp16' ? DataType.FLOAT16 : DataType.FLOAT });
}

export class HalfScope {
  readonly graph: GraphProto;
  readonly parent: HalfScope | undefined;
  readonly path: string;
  readonly names: NameGenerator;
  /** the model's default-domain opset */
  readonly opset: number;
  /** inferred original element types of what this graph defines */
  readonly types: Map<string, number>;
  readonly defined: Set<string>;
  readonly inputs: Set<string>;
  readonly initializers: Map<string, TensorProto>;
  /** tensors defined here whose natural form is float16 (planned outputs, converted inputs and initializers) */
  readonly half = new Set<string>();
  /** initializer → what its consumers need (decides: convert in place, keep, or both) */
  readonly demands = new Map<string, Set<Precision>>();
  readonly plans = new Map<NodeProto, NodePlan>();
  /** bodies of this graph's nodes, per node */
  readonly bodies = new Map<NodeProto, HalfScope[]>();
  /** how each graph output must leave the graph; undefined entries are left alone */
  sinks: Array<Precision | undefined> = [];
  /** other precision's version of a tensor, visible from this scope down (casts made here, initializer copies) */
  readonly versions = new Map<string, Partial<Record<Precision, string>>>();
  /** tensors whose producer output was renamed (main-graph outputs cast at the boundary): name → natural name */
  readonly natural = new Map<string, string>();
  /** Cast node outputs → the Cast's input: another precision of them is cast from that input (never Cast → Cast) */
  readonly castSources = new Map<string, string>();
  readonly inserted: InsertedCast[] = [];

  constructor(graph: GraphProto, path: string, parent: HalfScope | undefined, names: NameGenerator, opset: number, types: Map<string, number>) {
    this.graph = graph;
    this.opset = opset;
    this.path = path;
    this.parent = parent;
    this.names = names;
    this.types = types;
    this.defined = definedNames(graph);
    this.inputs = new Set(graph.input.map((vi) => vi.name ?? ''));
    this.initializers = new Map(graph.initializer.map((t) => [t.name ?? '', t]));
  }

  /** The scope that defines `name` (this graph or an enclosing one). */
  owner(name: string): HalfScope | undefined {
    return this.defined.has(name) ? this : this.parent?.owner(name);
  }

  typeOf(name: string): number | undefined {
    return this.owner(name)?.types.get(name);
  }

  isFloat(name: string): boolean {
    return this.typeOf(name) === DataType.FLOAT;
  }

  isHalf(name: string): boolean {
    return this.owner(name)?.half.has(name) ?? false;
  }

  /** An initializer that is not also a graph input (those are part of the interface, converted with the inputs). */
  isInitializer(name: string): boolean {
    const owner = this.owner(name);
    return !!owner && owner.initializers.has(name) && !owner.inputs.has(name);
  }

  /** Notes that a consumer needs `name` in `need` (only initializers care: their precision is decided afterwards). */
  demand(name: string, need: Need): void {
    if (need === 'any' || !this.isInitializer(name)) return;
    const owner = this.owner(name)!;
    const set = owner.demands.get(name) ?? new Set<Precision>();
    set.add(need);
    owner.demands.set(name, set);
  }

  private version(name: string, precision: Precision, owner: HalfScope): string | undefined {
    for (let s: HalfScope | undefined = this; s; s = s.parent) {
      const found = s.versions.get(name)?.[precision];
      if (found || s === owner) return found;
    }
    return undefined;
  }

  /**
   * The name to read `name` by in precision `need`: the tensor itself, a version made earlier, or a new Cast appended
   * to `out` (in this graph, so a body's Casts stay in the body).
   */
  resolve(name: string, need: Need, out: NodeProto[]): string {
    const owner = this.owner(name);
    const natural = owner?.natural.get(name) ?? name;
    if (need === 'any' || !owner) return natural;
    const precision: Precision = owner.half.has(name) ? 'fp16' : 'fp32';
    if (precision === need) return natural;
    const known = this.version(name, need, owner);
    if (known) return known;
    const source = owner.castSources.get(name) ?? natural;
    const output = this.names(`${name}_${need}`);
    out.push({
      name: this.names(`${name}_to_${need}`), op_type: 'Cast', domain: '', input: [source], output: [output],
      attribute: [castTo(this.opset, need)],
    });
    this.versions.set(name, { ...this.versions.get(name), [need]: output });
    this.inserted.push({ of: name, output, to: need });
    return output;
  }
}
