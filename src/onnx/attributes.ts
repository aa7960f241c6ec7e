// Node attributes: typed getters (int64 as number, bytes as string) and a builder that infers the attribute type.
import { AttributeType } from './model-types.js';
import type { AttributeProto, GraphProto, NodeProto, TensorProto } from './model-types.js';

export function getAttribute(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute.find((a) => a.name === name);
}

/** An INT attribute as a number (INT64 extremes such as Slice's 'to the end' become ±9.22e18). */
export function attrInt(node: NodeProto, name: string): number | undefined {
  const i = getAttribute(node, name)?.i;
  return i === undefined ? undefined : Number(i);
}

export function attrInts(node: NodeProto, name: string): number[] | undefined {
  const a = getAttribute(node, name);
  return a && (a.ints || a.type === AttributeType.INTS) ? (a.ints ?? []).map(Number) : undefined;
}

export function attrFloat(node: NodeProto, name: string): number | undefined {
  return getAttribute(node, name)?.f;
}

export function attrFloats(node: NodeProto, name: string): number[] | undefined {
  const a = getAttribute(node, name);
  return a && (a.floats || a.type === AttributeType.FLOATS) ? [...(a.floats ?? [])] : undefined;
}

export function attrString(node: NodeProto, name: string): string | undefined {
  const s = getAttribute(node, name)?.s;
  return s === undefined ? undefined : new TextDecoder().decode(s);
}

export function attrStrings(node: NodeProto, name: string): string[] | undefined {
  const a = getAttribute(node, name);
  const decoder = new TextDecoder();
  return a && (a.strings || a.type === AttributeType.STRINGS) ? (a.strings ?? []).map((s) => decoder.decode(s)) : undefined;
}

export function attrTensor(node: NodeProto, name: string): TensorProto | undefined {
  return getAttribute(node, name)?.t;
}

export function attrGraph(node: NodeProto, name: string): GraphProto | undefined {
  return getAttribute(node, name)?.g;
}

/** Values makeAttribute understands; integers go as bigint or as numbers marked with `{ int: n }` / `{ ints: [...] }`. */
export type AttributeValue =
  | number | bigint | string | TensorProto | GraphProto
  | { int: number } | { ints: Array<number | bigint> } | { floats: number[] } | { strings: string[] }
  | { tensors: TensorProto[] } | { graphs: GraphProto[] };

function isGraph(value: object): value is GraphProto {
  return 'node' in value && 'output' in value;
}

/**
 * Builds an attribute with its `type` set. A plain number is a FLOAT (ONNX has no way to tell 1 from 1.0):
 * pass `{ int: 1 }` or a bigint for INT.
 */
export function makeAttribute(name: string, value: AttributeValue): AttributeProto {
  const encoder = new TextEncoder();
  if (typeof value === 'number') return { name, type: AttributeType.FLOAT, f: value };
  if (typeof value === 'bigint') return { name, type: AttributeType.INT, i: value };
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: encoder.encode(value) };
  if ('int' in value) return { name, type: AttributeType.INT, i: BigInt(value.int) };
  if ('ints' in value) return { name, type: AttributeType.INTS, ints: value.ints.map((v) => BigInt(v)) };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: [...value.floats] };
  if ('strings' in value) return { name, type: AttributeType.STRINGS, strings: value.strings.map((s) => encoder.encode(s)) };
  if ('tensors' in value) return { name, type: AttributeType.TENSORS, tensors: value.tensors };
  if ('graphs' in value) return { name, type: AttributeType.GRAPHS, graphs: value.graphs };
  if (isGraph(value)) return { name, type: AttributeType.GRAPH, g: value };
  return { name, type: AttributeType.TENSOR, t: value };
}
