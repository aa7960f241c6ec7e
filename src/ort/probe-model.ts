// A tiny ONNX model (Y = Relu(X), X float[1,4], opset 13) encoded by hand: probes whether an EP can create a session.

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

const VARINT = 0;
const LEN = 2;

function field(num: number, wire: number, payload: number[] | string | number): number[] {
  const key = varint((num << 3) | wire);
  if (wire === VARINT) return [...key, ...varint(payload as number)];
  const bytes = typeof payload === 'string' ? [...new TextEncoder().encode(payload)] : (payload as number[]);
  return [...key, ...varint(bytes.length), ...bytes];
}

/** ValueInfoProto { name, type: TypeProto { tensor_type { elem_type: FLOAT, shape [1, 4] } } } */
function floatValueInfo(name: string): number[] {
  const dims = [...field(1, LEN, field(1, VARINT, 1)), ...field(1, LEN, field(1, VARINT, 4))];
  const tensorType = [...field(1, VARINT, 1), ...field(2, LEN, dims)];
  return [...field(1, LEN, name), ...field(2, LEN, field(1, LEN, tensorType))];
}

/** The probe model's bytes (ModelProto, IR version 8). Input `X`, output `Y`. */
export function probeModelBytes(): Uint8Array {
  const node = [...field(1, LEN, 'X'), ...field(2, LEN, 'Y'), ...field(3, LEN, 'relu'), ...field(4, LEN, 'Relu')];
  const graph = [
    ...field(1, LEN, node),
    ...field(2, LEN, 'edgeopt-ep-probe'),
    ...field(11, LEN, floatValueInfo('X')),
    ...field(12, LEN, floatValueInfo('Y')),
  ];
  const opset = [...field(1, LEN, ''), ...field(2, VARINT, 13)];
  const model = [
    ...field(1, VARINT, 8),
    ...field(2, LEN, 'edgeopt'),
    ...field(7, LEN, graph),
    ...field(8, LEN, opset),
  ];
  return Uint8Array.from(model);
}
