// fp16 / bf16 / fp8 / fp4 conversions: edge cases by table, fp16 exhaustively, and float32→fp16 against numpy.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeBFloat16, decodeFloat16, encodeBFloat16, encodeFloat16, floatBitsToHalf, floatToHalf, halfToFloat,
} from '../../../src/onnx/index.js';
import { MINIFLOAT_TABLES } from '../../../src/onnx/float-bits.js';
import { pythonOnnxAvailable, runPython, SKIP_PYTHON } from './python-onnx.js';

const f32bits = (x: number): number => new Uint32Array(Float32Array.of(x).buffer)[0] as number;

describe('fp16 → float', () => {
  it.each([
    [0x0000, 0], [0x3c00, 1], [0xc000, -2], [0x3555, 0.333251953125], [0x7bff, 65504], [0xfbff, -65504],
    [0x0400, 2 ** -14], [0x0001, 2 ** -24], [0x03ff, 1023 * 2 ** -24], [0x8001, -(2 ** -24)],
    [0x7c00, Infinity], [0xfc00, -Infinity],
  ])('0x%s → %s', (bits, value) => {
    expect(halfToFloat(bits)).toBe(value);
  });

  it('keeps the sign of zero and NaN (with payload) as NaN', () => {
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    for (const nan of [0x7e00, 0x7c01, 0xfe00, 0x7fff]) expect(halfToFloat(nan)).toBeNaN();
    const bits = new Uint32Array(decodeFloat16(Uint16Array.of(0x7c01, 0xfe00)).buffer);
    expect([bits[0], bits[1]]).toEqual([0x7f802000, 0xffc00000]);
  });

  it('round-trips all 65536 fp16 patterns through float32 (NaNs stay NaN)', () => {
    const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const back = encodeFloat16(decodeFloat16(all));
    for (let i = 0; i < 65536; i++) {
      const isNaN = (i & 0x7c00) === 0x7c00 && (i & 0x3ff) !== 0;
      if (isNaN) expect((back[i]! & 0x7c00) === 0x7c00 && (back[i]! & 0x3ff) !== 0).toBe(true);
      else if (back[i] !== i) throw new Error(`0x${i.toString(16)} came back as 0x${back[i]!.toString(16)}`);
    }
  });
});

describe('float → fp16, round to nearest even', () => {
  it.each([
    [1 + 2 ** -11, 0x3c00], // halfway between 1 and the next fp16: ties to the even mantissa (1)
    [1 + 3 * 2 ** -11, 0x3c02], // halfway between 0x3c01 and 0x3c02: ties to even (0x3c02)
    [1 + 2 ** -11 + 2 ** -20, 0x3c01], // just above halfway rounds up
    [65504, 0x7bff], [65519, 0x7bff], [65520, 0x7c00], [1e9, 0x7c00], [-1e9, 0xfc00],
    [2 ** -24, 0x0001], [2 ** -25, 0x0000], [2 ** -25 + 2 ** -40, 0x0001], [3 * 2 ** -25, 0x0002],
    [2 ** -14 - 2 ** -25, 0x0400], // largest subnormal + half an ulp rounds up into the normal range
    [-0, 0x8000], [Infinity, 0x7c00], [-Infinity, 0xfc00],
  ])('%s → 0x%s', (value, bits) => {
    expect(floatToHalf(value).toString(16)).toBe(bits.toString(16));
  });

  it('maps NaN to a NaN', () => {
    const h = floatBitsToHalf(f32bits(NaN));
    expect(h & 0x7c00).toBe(0x7c00);
    expect(h & 0x3ff).not.toBe(0);
  });

  it.skipIf(!pythonOnnxAvailable())(`agrees with numpy astype(float16) on 200k random float32 patterns ${pythonOnnxAvailable() ? '' : SKIP_PYTHON}`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edgeopt-fp16-'));
    try {
      let state = 12345;
      const bits = Uint32Array.from({ length: 200_000 }, () => {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        return (state ^ (state << 7)) >>> 0;
      });
      // aim most samples near the fp16 range, where rounding matters
      for (let i = 0; i < bits.length; i += 2) bits[i] = (bits[i]! & 0x807fffff) | ((100 + (i % 60)) << 23);
      const input = path.join(dir, 'in.bin');
      writeFileSync(input, new Uint8Array(bits.buffer));
      runPython(
        'import numpy as np, sys; a = np.fromfile(sys.argv[1], dtype=np.float32); a.astype(np.float16).tofile(sys.argv[2])',
        [input, path.join(dir, 'out.bin')],
      );
      const expected = new Uint16Array(new Uint8Array(readFileSync(path.join(dir, 'out.bin'))).buffer);
      const ours = encodeFloat16(new Float32Array(bits.buffer));
      let mismatches = 0;
      for (let i = 0; i < bits.length; i++) {
        const isNaN = (bits[i]! & 0x7f800000) === 0x7f800000 && (bits[i]! & 0x7fffff) !== 0;
        if (!isNaN && ours[i] !== expected[i]) mismatches++;
      }
      expect(mismatches).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bfloat16', () => {
  it('decodes by widening and encodes with round to nearest even', () => {
    expect([...decodeBFloat16(Uint16Array.of(0x3f80, 0xc000, 0x7f80, 0x0001))]).toEqual([1, -2, Infinity, 2 ** -133]);
    const values = Float32Array.of(1, 1 + 2 ** -8, 1 + 3 * 2 ** -8, 1 + 2 ** -8 + 2 ** -20, NaN, -Infinity);
    const encoded = encodeBFloat16(values);
    expect([...encoded.slice(0, 4)].map((b) => b.toString(16))).toEqual(['3f80', '3f80', '3f82', '3f81']);
    expect(decodeBFloat16(encoded.slice(4, 5))[0]).toBeNaN();
    expect(encoded[5]).toBe(0xff80);
  });
});

describe('8- and 4-bit floats', () => {
  it('match the ONNX definitions at their special points', () => {
    const t = MINIFLOAT_TABLES;
    expect([t.FLOAT8E4M3FN[0x7e], t.FLOAT8E4M3FN[0x01], t.FLOAT8E4M3FN[0x38], t.FLOAT8E4M3FN[0xfe]]).toEqual([448, 2 ** -9, 1, -448]);
    expect(t.FLOAT8E4M3FN[0x7f]).toBeNaN();
    expect([t.FLOAT8E4M3FNUZ[0x7f], t.FLOAT8E4M3FNUZ[0x01], t.FLOAT8E4M3FNUZ[0x40]]).toEqual([240, 2 ** -10, 1]);
    expect(t.FLOAT8E4M3FNUZ[0x80]).toBeNaN();
    expect([t.FLOAT8E5M2[0x7b], t.FLOAT8E5M2[0x7c], t.FLOAT8E5M2[0xfc], t.FLOAT8E5M2[0x01]]).toEqual([57344, Infinity, -Infinity, 2 ** -16]);
    expect(t.FLOAT8E5M2[0x7d]).toBeNaN();
    expect([t.FLOAT8E5M2FNUZ[0x7f], t.FLOAT8E5M2FNUZ[0x40]]).toEqual([57344, 1]);
    expect(t.FLOAT8E5M2FNUZ[0x80]).toBeNaN();
    expect([...t.FLOAT4E2M1.slice(0, 8)]).toEqual([0, 0.5, 1, 1.5, 2, 3, 4, 6]);
    expect(t.FLOAT4E2M1[0xf]).toBe(-6);
    expect([t.FLOAT8E8M0[127], t.FLOAT8E8M0[130], t.FLOAT8E8M0[0]]).toEqual([1, 8, 2 ** -127]);
    expect(t.FLOAT8E8M0[255]).toBeNaN();
  });
});
