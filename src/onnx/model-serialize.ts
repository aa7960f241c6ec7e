// Serializes a model as a list of parts (small encoded pieces + references to raw tensor bytes): no whole-model copy.
import type protobuf from 'protobufjs';
import { onnxType } from './onnx-schema.js';
import { toWire } from './wire-convert.js';
import type { GraphProto, ModelProto, TensorProto } from './model-types.js';

/** A part is either bytes to write as they are, or a protobufjs writer whose bytes are produced when written. */
export type Part = Uint8Array | protobuf.Writer;

export interface SerializedModel {
  parts: Part[];
  length: number;
}

/** Raw data at least this large is written straight from the tensor's buffer instead of through protobufjs. */
const DIRECT_RAW_BYTES = 64 * 1024;
const WIRE_LENGTH_DELIMITED = 2;

export function partLength(part: Part): number {
  return part instanceof Uint8Array ? part.length : part.len;
}

/** Bytes of a part; a writer's bytes are produced here (the only copy of that piece). */
export function partBytes(part: Part): Uint8Array {
  return part instanceof Uint8Array ? part : part.finish();
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** Tag + length prefix of a length-delimited field. */
function fieldPrefix(field: number, length: number): Uint8Array {
  return Uint8Array.from([...varint(field * 8 + WIRE_LENGTH_DELIMITED), ...varint(length)]);
}

class PartList {
  readonly parts: Part[] = [];
  length = 0;
  push(part: Part): void {
    const length = partLength(part);
    if (length === 0) return;
    this.parts.push(part);
    this.length += length;
  }
  append(other: PartList): void {
    for (const part of other.parts) this.parts.push(part);
    this.length += other.length;
  }
}

function encodeWriter(typeName: string, message: object): protobuf.Writer {
  const type = onnxType(typeName);
  return type.encode(toWire(type, message));
}

function tensorParts(tensor: TensorProto): PartList {
  const list = new PartList();
  const raw = tensor.raw_data;
  if (raw && raw.length >= DIRECT_RAW_BYTES) {
    const { raw_data: _skip, ...header } = tensor;
    list.push(encodeWriter('TensorProto', header));
    list.push(fieldPrefix(9, raw.length));
    list.push(raw);
  } else {
    list.push(encodeWriter('TensorProto', tensor));
  }
  return list;
}

function graphParts(graph: GraphProto): PartList {
  const list = new PartList();
  for (const node of graph.node) {
    const writer = encodeWriter('NodeProto', node);
    list.push(fieldPrefix(1, writer.len));
    list.push(writer);
  }
  const { node: _n, initializer: _i, ...rest } = graph;
  list.push(encodeWriter('GraphProto', { ...rest, node: [], initializer: [] }));
  for (const tensor of graph.initializer) {
    const tensorList = tensorParts(tensor);
    list.push(fieldPrefix(5, tensorList.length));
    list.append(tensorList);
  }
  return list;
}

/** Splits the model into parts; the main graph's nodes and initializers are separate parts, big raw data is referenced. */
export function serializeModel(model: ModelProto): SerializedModel {
  const list = new PartList();
  const { graph, ...rest } = model;
  list.push(encodeWriter('ModelProto', rest));
  if (graph) {
    const graphList = graphParts(graph);
    list.push(fieldPrefix(7, graphList.length));
    list.append(graphList);
  }
  return { parts: list.parts, length: list.length };
}

/** Concatenates the parts into one buffer (for ORT sessions created from memory). */
export function joinParts(serialized: SerializedModel): Uint8Array {
  const out = Buffer.allocUnsafe(serialized.length);
  let offset = 0;
  for (const part of serialized.parts) {
    const bytes = partBytes(part);
    out.set(bytes, offset);
    offset += bytes.length;
  }
  return out;
}
