// Writes a tiny 2-D conv net (Conv 16→16 3×3 + Relu) as ONNX: the shape ORT's NCHWc layout transform rewrites.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../../../src/ort/seeded-random.js';
import { testTmpDir } from '../ort/step-context.js';

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  return [...out, v];
}
const num = (f: number, v: number): number[] => [...varint(f << 3), ...varint(v)];
const len = (f: number, p: number[] | string): number[] => {
  const bytes = typeof p === 'string' ? [...Buffer.from(p)] : p;
  return [...varint((f << 3) | 2), ...varint(bytes.length), ...bytes];
};

function valueInfo(name: string, dims: number[]): number[] {
  const shape = dims.flatMap((d) => len(1, num(1, d)));
  return [...len(1, name), ...len(2, len(1, [...num(1, 1), ...len(2, shape)]))];
}

function floatInitializer(name: string, dims: number[], seed: number): number[] {
  const n = dims.reduce((a, b) => a * b, 1);
  const rand = mulberry32(seed);
  const data = Float32Array.from({ length: n }, () => (rand() * 2 - 1) * 0.2);
  return [...dims.flatMap((d) => num(1, d)), ...num(2, 1), ...len(8, name), ...len(9, [...Buffer.from(data.buffer)])];
}

/** Path of a fresh model file: X[1,16,16,16] → Conv(W 16×16×3×3, B, pads 1) → Relu → Y. */
export function conv2dModel(): string {
  const pads = [...len(1, 'pads'), ...[1, 1, 1, 1].flatMap((p) => num(8, p)), ...num(20, 7)];
  const conv = [...len(1, 'X'), ...len(1, 'W'), ...len(1, 'B'), ...len(2, 'C'), ...len(3, 'conv'), ...len(4, 'Conv'), ...len(5, pads)];
  const relu = [...len(1, 'C'), ...len(2, 'Y'), ...len(3, 'relu'), ...len(4, 'Relu')];
  const graph = [
    ...len(1, conv), ...len(1, relu), ...len(2, 'conv2d'),
    ...len(5, floatInitializer('W', [16, 16, 3, 3], 1)), ...len(5, floatInitializer('B', [16], 2)),
    ...len(11, valueInfo('X', [1, 16, 16, 16])), ...len(12, valueInfo('Y', [1, 16, 16, 16])),
  ];
  const model = [...num(1, 8), ...len(7, graph), ...len(8, [...len(1, ''), ...num(2, 13)])];
  const file = path.join(testTmpDir(), 'conv2d.onnx');
  writeFileSync(file, Uint8Array.from(model));
  return file;
}
