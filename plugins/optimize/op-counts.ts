// Counts an ONNX model's nodes by op type (subgraphs included) with a minimal protobuf walk: no dependency, no decode of weights.

export interface OpCounts {
  total: number;
  /** op type → count; ops outside the default domain are prefixed with their domain (com.microsoft.FusedConv) */
  by_op: Record<string, number>;
}

interface Field { num: number; wire: number; value: number; start: number; end: number }

function varint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  let p = pos;
  for (;;) {
    const byte = buf[p++];
    if (byte === undefined) throw new RangeError('truncated varint');
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, p];
    scale *= 128;
  }
}

/** The fields of one message in buf[start, end): LEN fields give their payload range, others their value. */
function* fields(buf: Uint8Array, start: number, end: number): Generator<Field> {
  let pos = start;
  while (pos < end) {
    const [key, p] = varint(buf, pos);
    const num = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      const [value, q] = varint(buf, p);
      pos = q;
      yield { num, wire, value, start: p, end: q };
    } else if (wire === 2) {
      const [len, q] = varint(buf, p);
      pos = q + len;
      if (pos > end) throw new RangeError('length past the end of the message');
      yield { num, wire, value: len, start: q, end: pos };
    } else if (wire === 1 || wire === 5) {
      pos = p + (wire === 1 ? 8 : 4);
      yield { num, wire, value: 0, start: p, end: pos };
    } else {
      throw new RangeError(`unsupported wire type ${wire}`);
    }
  }
}

const decoder = new TextDecoder();

// GraphProto.node = 1; NodeProto.op_type = 4, domain = 7, attribute = 5; AttributeProto.g = 6, graphs = 11
function walkGraph(buf: Uint8Array, start: number, end: number, counts: Map<string, number>): void {
  for (const f of fields(buf, start, end)) {
    if (f.num !== 1 || f.wire !== 2) continue;
    let op = '';
    let domain = '';
    for (const n of fields(buf, f.start, f.end)) {
      if (n.wire !== 2) continue;
      if (n.num === 4) op = decoder.decode(buf.subarray(n.start, n.end));
      else if (n.num === 7) domain = decoder.decode(buf.subarray(n.start, n.end));
      else if (n.num === 5) {
        for (const a of fields(buf, n.start, n.end)) {
          if (a.wire === 2 && (a.num === 6 || a.num === 11)) walkGraph(buf, a.start, a.end, counts);
        }
      }
    }
    const key = domain && domain !== 'ai.onnx' ? `${domain}.${op}` : op;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
}

/** Node counts of a serialized ModelProto (ModelProto.graph = 7); throws RangeError on bytes that are not one. */
export function countOps(model: Uint8Array): OpCounts {
  const counts = new Map<string, number>();
  for (const f of fields(model, 0, model.length)) {
    if (f.num === 7 && f.wire === 2) walkGraph(model, f.start, f.end, counts);
  }
  const by_op = Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
  return { total: [...counts.values()].reduce((a, b) => a + b, 0), by_op };
}
