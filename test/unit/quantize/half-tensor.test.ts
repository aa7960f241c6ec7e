// float32 → float16 tensor conversion in place: bit-exact rounding, any byte alignment, ORT-style clamping.
import { describe, expect, it } from 'vitest';
import { halfCopy, halveInPlace } from '../../../plugins/quantize/fp16/half-tensor.js';
import { DataType, decodeTensor, encodeTensor, floatToHalf } from '../../../src/onnx/index.js';
import { mulberry32 } from '../../../src/ort/seeded-random.js';

const values = Float32Array.from({ length: 257 }, (_, i) => (mulberry32(5)() + i / 257 - 0.5) * 2 ** ((i % 36) - 30));

describe('float16 tensors', () => {
  it.each([0, 1, 2, 3])('converts in place at byte offset %i, matching floatToHalf for every value', (offset) => {
    const backing = new Uint8Array(offset + values.length * 4);
    backing.set(new Uint8Array(values.buffer), offset);
    const tensor = { name: 'w', dims: [values.length], data_type: DataType.FLOAT, raw_data: backing.subarray(offset) };
    const stats = halveInPlace(tensor);
    expect(tensor.data_type).toBe(DataType.FLOAT16);
    expect(tensor.raw_data.buffer).toBe(backing.buffer);
    const bits = new Uint16Array(new Uint8Array(tensor.raw_data).buffer);
    const expected = Array.from(values, (v) => floatToHalf(Math.abs(v) < 2 ** -24 && v !== 0 ? Math.sign(v) * 2 ** -24 : v));
    expect(Array.from(bits)).toEqual(expected);
    expect(stats.clamped).toBe(0);
  });

  it('clamps beyond ±65504 and keeps tiny values non-zero; inf and NaN stay; a copy leaves the source alone', () => {
    const source = encodeTensor(Float32Array.of(1e6, -7e4, 1e-9, -1e-30, 0, Infinity, NaN, 1), [8], { name: 'w' });
    const { tensor, stats } = halfCopy(source, 'w_fp16');
    expect(Array.from(decodeTensor(tensor) as Float32Array)).toEqual([65504, -65504, 2 ** -24, -(2 ** -24), 0, Infinity, NaN, 1]);
    expect(stats).toEqual({ clamped: 2, raised: 2 });
    expect((decodeTensor(source) as Float32Array)[0]).toBe(1e6);
    const fromFloatData = { name: 'f', dims: [2], data_type: DataType.FLOAT, float_data: [0.5, 3] };
    halveInPlace(fromFloatData);
    expect(Array.from(decodeTensor(fromFloatData) as Float32Array)).toEqual([0.5, 3]);
  });
});
