// Reads the outline of an ONNX file (IR version, opsets, graph inputs/outputs, external data references) straight from
// the protobuf wire format, seeking past tensor bytes: a 2 GB model is checked by reading its few MB of structure.
import { open, type FileHandle } from 'node:fs/promises';

export interface ExternalReference {
  tensor: string;
  location?: string;
  offset?: string;
  length?: string;
}

export interface ModelOutline {
  irVersion?: number;
  opsetImports: number;
  hasGraph: boolean;
  graphInputs: number;
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
  /** an external tensor found by a `tensor` scan */
  external?: ExternalReference;
  /** the key and value a StringStringEntryProto holds */
  entry?: [string, string];
}

async function scan(cur: Cursor, kind: Kind, start: number, end: number, out: ModelOutline, depth: number): Promise<Scanned> {
  if (depth > MAX_NESTING) throw new WireError('messages are nested deeper than any model', start);
  let isExternal = false;
  let name = '';
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
      } else if (kind === 'model' && field === 8) out.opsetImports++;
      else if (kind === 'graph' && depth === 1 && field === 11) out.graphInputs++;
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
  if (kind !== 'tensor' || !isExternal) return {};
  const external: ExternalReference = { tensor: name };
  if (entries['location'] !== undefined) external.location = entries['location'];
  if (entries['offset'] !== undefined) external.offset = entries['offset'];
  if (entries['length'] !== undefined) external.length = entries['length'];
  return { external };
}

/**
 * The outline of the ONNX model at `file`; throws WireError when the bytes are not a protobuf message (cut short,
 * random, text). External data entries are collected per tensor as written (location, offset, length), unchecked.
 */
export async function readModelOutline(file: string): Promise<ModelOutline> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const out: ModelOutline = { opsetImports: 0, hasGraph: false, graphInputs: 0, graphOutputs: 0, external: [] };
    await scan(new Cursor(handle, size), 'model', 0, size, out, 0);
    return out;
  } finally {
    await handle.close();
  }
}
