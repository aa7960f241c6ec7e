// Weight quantization math: ranges, scales and zero points, rounding, and the scale/2 error bound, without ORT.
import { describe, expect, it } from 'vitest';
import { dequantizeWeight, quantizeWeight, quantParams, quantRange, roundHalfEven, transposeBytes } from '../../../plugins/quantize/weight-quant.js';
import { mulberry32 } from '../../../src/ort/seeded-random.js';

describe('weight quantization math', () => {
  it.each([
    ['int8', true, false, -127, 127], ['int8', false, false, -128, 127], ['int8', true, true, -63, 63], ['int8', false, true, -64, 63],
    ['uint8', true, false, 1, 255], ['uint8', false, false, 0, 255], ['uint8', true, true, 1, 127], ['uint8', false, true, 0, 127],
  ] as const)('%s symmetric=%s reduce_range=%s → [%i, %i]', (type, symmetric, reduce, qmin, qmax) => {
    expect(quantRange(type, symmetric, reduce)).toEqual({ qmin, qmax });
  });

  it('rounds half to even like numpy.rint', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, 3]);
  });

  it('keeps zero exactly representable and scales positive normal floats', () => {
    const asym = quantParams(0.2, 1.0, quantRange('uint8', false, false), false);
    expect(asym.zeroPoint).toBe(0); // the range is widened to include 0
    expect(quantParams(0, 0, quantRange('int8', true, false), true)).toEqual({ scale: 1, zeroPoint: 0 });
    expect(quantParams(-1e-37, 1e-37, quantRange('int8', true, false), true).scale).toBe(2 ** -126);
    const sym = quantParams(-2, 1, quantRange('int8', true, false), true);
    expect(sym).toEqual({ scale: Math.fround(2 / 127), zeroPoint: 0 });
  });

  it.each([
    ['int8 symmetric per-channel', 'int8', true, true], ['int8 asymmetric per-tensor', 'int8', false, false],
    ['uint8 asymmetric per-channel', 'uint8', false, true], ['uint8 symmetric per-tensor', 'uint8', true, false],
  ] as const)('%s: every dequantized weight is within scale/2 of the float', (_n, type, symmetric, perChannel) => {
    const rand = mulberry32(3);
    const layout = { outer: 7, channels: 5, inner: 3 };
    const values = Float32Array.from({ length: 105 }, (_, i) => (rand() - 0.3) * (1 + (Math.floor(i / 3) % 5)));
    const q = quantizeWeight(values, layout, { type, symmetric, reduceRange: false, perChannel });
    expect(q.scales).toHaveLength(perChannel ? 5 : 1);
    const back = dequantizeWeight(q, layout);
    for (let i = 0; i < values.length; i++) {
      const channel = Math.floor(i / 3) % 5;
      const scale = q.scales[perChannel ? channel : 0]!;
      expect(Math.abs(back[i]! - values[i]!)).toBeLessThanOrEqual(scale / 2 + 1e-7);
    }
  });

  it('refuses NaN and infinite weights', () => {
    const layout = { outer: 1, channels: 2, inner: 1 };
    const opts = { type: 'int8', symmetric: true, reduceRange: false, perChannel: true } as const;
    expect(() => quantizeWeight(Float32Array.of(1, Number.NaN), layout, opts)).toThrow(/NaN/);
    expect(() => quantizeWeight(Float32Array.of(Number.POSITIVE_INFINITY, 1), layout, opts)).toThrow(/infinite/);
  });

  it('transposes a byte matrix', () => {
    expect([...transposeBytes(Int8Array.of(1, 2, 3, 4, 5, 6), 2, 3)]).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
