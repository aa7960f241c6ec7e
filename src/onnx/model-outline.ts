// Reads the outline of an ONNX file (IR version, opsets, graph inputs with their types, outputs, initializer names,
// external data references) straight from the protobuf wire format, seeking past tensor bytes: a 2 GB model is checked
// by reading its few MB of structure.
import { open, type FileHandle } from 'node:fs/promises';

export interface ExternalReference {
  tensor: string;
  location?: string;
  offset?: string;
  length?: string;
}

/** A main-graph input as declared: a tensor's element type (a DataType value) and dims, or another kind of value. */
export interface OutlineInput {
  name: string;
  /** 'tensor', or the other TypeProto kind (sequence, map, optional, sparse_tensor); absent when the input has no type */
  kind?: 'tensor' | 'sequence' | 'map' | 'optional' | 'sparse_tensor' | 'other';
  elemType?: number;
  /** absent when the tensor's shape (even its rank) is not declared; a dim is its size, its dim_param, or '' */
  shape?: Array<number | string>;
}

export interface ModelOutline {
  irVersion?: number;
  opsetImports: number;
  hasGraph: boolean;
  /** the main graph's inputs in order, including any that an initializer of the same name backs */
  inputs: OutlineInput[];
  /** names of the main graph's initializers */
  initializers: string[];
  graphOutputs: number;
  /** every tensor (initializers, Constant values, subgraphs, functions) whose data_location is EXTERNAL */
  external: ExternalReference[];
}

/** Why the bytes are not protobuf: `offset` is where reading failed. */
export class WireError extends Error {
  constructor(readonly detail: string, readonly offset: number) {
    super(`${detail} (at byte ${offset})`);
  }
}

type Kind = 'model' | 'graph' | 'node' | 'attribute' | 'tensor' | 'sparse' | 'function' | 'training' | 'entry';

/** Submessages that can hold a graph or a tensor, by message kind and field number (onnx.proto). */
const DESCEND: Record<Kind, Record<number, Kind>> = {
  model: { 7: 'graph', 20: 'training', 25: 'function' },
  graph: { 1: 'node', 5: 'tensor', 15: 'sparse' },
  node: { 5: 'attribute' },
  attribute: { 5: 'tensor', 6: 'graph', 10: 'tensor', 11: 'graph', 22: 'sparse', 23: 'sparse' },
  tensor: { 13: 'entry' },
  sparse: { 1: 'tensor', 2: 'tensor' },
  function: { 7: 'node' },
  training: { 1: 'graph', 2: 'graph' },
  entry: {},
};
const CHUNK = 64 * 1024;
/** deeper than any real model's If/Loop nesting; a crafted file could otherwise recurse without end */
const MAX_NESTING = 100;

/** Buffered reads at arbitrary offsets of one file: sequential small fields cost one read per 64 KiB. */
class Cursor {
  private buf = Buffer.alloc(0);
  private bufStart = 0;
  constructor(private readonly handle: FileHandle, readonly size: number) {}

  private async byteAt(pos: number): Promise<number> {
    if (pos < this.bufStart || pos >= this.bufStart + this.buf.length) {
      const buf = Buffer.alloc(Math.min(CHUNK, this.size - pos));
      const { bytesRead } = await this.handle.read(buf, 0, buf.length, pos);
      this.buf = buf.subarray(0, bytesRead);
      this.bufStart = pos;
    }
    return this.buf[pos - this.bufStart]!;
  }

  async varint(pos: number, end: number): Promise<{ value: number; next: number }> {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos + i >= end) throw new WireError('a number runs past the end of its message', pos);
      const b = await this.byteAt(pos + i);
      value += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return { value, next: pos + i + 1 };
    }
    throw new WireError('a number is longer than 10 bytes', pos);
  }

  async text(pos: number, length: number): Promise<string> {
    const buf = Buffer.alloc(Math.min(length, 4096));
    await this.handle.read(buf, 0, buf.length, pos);
    return buf.toString('utf8');
  }
}

const FIELD_NAMES: Partial<Record<Kind, Record<number, string>>> = {
  model: { 7: 'graph' }, graph: { 1: 'node', 5: 'initializer' }, tensor: { 9: 'raw_data' },
};

interface Scanned {
  /** the name of a tensor */
  name?: string;
  /** an external tensor found by a `tensor` scan */
  external?: ExternalReference;
  /** the key and value a StringStringEntryProto holds */
  entry?: [string, string];
}

async function scan(cur: Cursor, kind: Kind, start: number, end: number, out: ModelOutline, depth: number): Promise<Scanned> {
  if (depth > MAX_NESTING) throw new WireError('messages are nested deeper than any model', start);
  let isExternal = false;
  let name = '';
  let sparseName: string | undefined;
  const entries: Record<string, string> = {};
  let key: string | undefined;
  let value = '';
  for (let pos = start; pos < end;) {
    const tag = await cur.varint(pos, end);
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    pos = tag.next;
    if (field === 0) throw new WireError('a field has number 0', pos);
    if (wire === 0) {
      const v = await cur.varint(pos, end);
      pos = v.next;
      if (kind === 'model' && field === 1) out.irVersion = v.value;
      if (kind === 'tensor' && field === 14) isExternal = v.value === 1;
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
      if (pos > end) throw new WireError('a fixed-size value runs past the end of its message', pos);
    } else if (wire === 2) {
      const len = await cur.varint(pos, end);
      const bodyStart = len.next;
      const bodyEnd = bodyStart + len.value;
      if (bodyEnd > end) {
        const what = FIELD_NAMES[kind]?.[field] ?? `field ${field}`;
        throw new WireError(bodyEnd > cur.size
          ? `the file ends at byte ${cur.size}, inside ${what} which needs ${len.value} bytes from byte ${bodyStart}: the file was cut short`
          : `${what} claims ${len.value} bytes, more than its enclosing message holds`, pos);
      }
      const sub = DESCEND[kind][field];
      if (sub) {
        const found = await scan(cur, sub, bodyStart, bodyEnd, out, depth + 1);
        if (found.entry) entries[found.entry[0]] = found.entry[1];
        if (found.external) out.external.push(found.external);
        // sparse initializers (field 15) name their values tensor
        if (kind === 'graph' && depth === 1 && (field === 5 || field === 15)) out.initializers.push(found.name ?? '');
        if (kind === 'sparse' && field === 1) sparseName = found.name;
      } else if (kind === 'model' && field === 8) out.opsetImports++;
      else if (kind === 'graph' && depth === 1 && field === 11) out.inputs.push(await readValueInfo(cur, bodyStart, bodyEnd, depth + 1));
      else if (kind === 'graph' && depth === 1 && field === 12) out.graphOutputs++;
      else if (kind === 'tensor' && field === 8) name = await cur.text(bodyStart, len.value);
      else if (kind === 'entry' && field === 1) key = await cur.text(bodyStart, len.value);
      else if (kind === 'entry' && field === 2) value = await cur.text(bodyStart, len.value);
      if (kind === 'model' && field === 7) out.hasGraph = true;
      pos = bodyEnd;
    } else {
      throw new WireError(`wire type ${wire} does not occur in ONNX files`, pos);
    }
  }
  if (kind === 'entry') return key === undefined ? {} : { entry: [key, value] };
  if (kind === 'sparse') return sparseName === undefined ? {} : { name: sparseName };
  if (kind !== 'tensor') return {};
  if (!isExternal) return { name };
  const external: ExternalReference = { tensor: name };
  if (entries['location'] !== undefined) external.location = entries['location'];
  if (entries['offset'] !== undefined) external.offset = entries['offset'];
  if (entries['length'] !== undefined) external.length = entries['length'];
  return { name, external };
}

/** The fields of one small message: varints with their value, length-delimited ones with their body's bounds. */
async function fieldsOf(cur: Cursor, start: number, end: number): Promise<Array<{ field: number; wire: number; start: number; end: number; value?: number }>> {
  const fields = [];
  for (let pos = start; pos < end;) {
    const tag = await cur.varint(pos, end);
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    pos = tag.next;
    if (wire === 0) {
      const v = await cur.varint(pos, end);
      fields.push({ field, wire, start: pos, end: v.next, value: v.value });
      pos = v.next;
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
    } else if (wire === 2) {
      const len = await cur.varint(pos, end);
      if (len.next + len.value > end) throw new WireError(`a graph input claims ${len.value} bytes, more than its message holds`, pos);
      fields.push({ field, wire, start: len.next, end: len.next + len.value });
      pos = len.next + len.value;
    } else {
      throw new WireError(`wire type ${wire} does not occur in ONNX files`, pos);
    }
    if (pos > end) throw new WireError('a value runs past the end of its message', pos);
  }
  return fields;
}

// TypeProto's value fields (onnx.proto): 1 tensor_type, 4 sequence_type, 5 map_type, 8 sparse_tensor_type, 9 optional_type
const TYPE_KINDS: Record<number, OutlineInput['kind']> = { 1: 'tensor', 4: 'sequence', 5: 'map', 8: 'sparse_tensor', 9: 'optional' };
/** int64 dims arrive as 10-byte varints when negative: anything past 2^53 stands for an unknown (-1) size */
const MAX_DIM = Number.MAX_SAFE_INTEGER;

/** ValueInfoProto: 1 name, 2 type → TypeProto.Tensor: 1 elem_type, 2 shape → 1 dim → 1 dim_value | 2 dim_param. */
async function readValueInfo(cur: Cursor, start: number, end: number, depth: number): Promise<OutlineInput> {
  if (depth > MAX_NESTING) throw new WireError('messages are nested deeper than any model', start);
  const input: OutlineInput = { name: '' };
  for (const f of await fieldsOf(cur, start, end)) {
    if (f.field === 1 && f.wire === 2) input.name = await cur.text(f.start, f.end - f.start);
    if (f.field !== 2 || f.wire !== 2) continue;
    for (const t of await fieldsOf(cur, f.start, f.end)) {
      if (t.wire !== 2) continue;
      input.kind = TYPE_KINDS[t.field] ?? 'other';
      if (t.field !== 1) continue;
      for (const tf of await fieldsOf(cur, t.start, t.end)) {
        if (tf.field === 1 && tf.value !== undefined) input.elemType = tf.value;
        if (tf.field === 2 && tf.wire === 2) input.shape = await readShape(cur, tf.start, tf.end);
      }
    }
  }
  return input;
}

async function readShape(cur: Cursor, start: number, end: number): Promise<Array<number | string>> {
  const dims: Array<number | string> = [];
  for (const d of await fieldsOf(cur, start, end)) {
    if (d.field !== 1 || d.wire !== 2) continue;
    let dim: number | string = '';
    for (const v of await fieldsOf(cur, d.start, d.end)) {
      if (v.field === 1 && v.value !== undefined) dim = v.value > MAX_DIM ? -1 : v.value;
      if (v.field === 2 && v.wire === 2) dim = await cur.text(v.start, v.end - v.start);
    }
    dims.push(dim);
  }
  return dims;
}

/**
 * The outline of the ONNX model at `file`; throws WireError when the bytes are not a protobuf message (cut short,
 * random, text). External data entries are collected per tensor as written (location, offset, length), unchecked.
 */
export async function readModelOutline(file: string): Promise<ModelOutline> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const out: ModelOutline = { opsetImports: 0, hasGraph: false, inputs: [], initializers: [], graphOutputs: 0, external: [] };
    await scan(new Cursor(handle, size), 'model', 0, size, out, 0);
    return out;
  } finally {
    await handle.close();
  }
}
