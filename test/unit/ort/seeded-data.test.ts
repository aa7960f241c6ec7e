// Seeded random streams, float16 encoding and ORT message cleaning: the deterministic bits under the feeds.
import { describe, expect, it } from 'vitest';
import { toFloat16Bits } from '../../../src/ort/feeds.js';
import { cleanOrtMessage } from '../../../src/ort/ort-message.js';
import { fnv1a, mulberry32, streamFor } from '../../../src/ort/seeded-random.js';

describe('seeded random', () => {
  it('repeats for a seed and differs across seeds and names', () => {
    const take = (r: () => number): number[] => Array.from({ length: 5 }, r);
    expect(take(mulberry32(7))).toEqual(take(mulberry32(7)));
    expect(take(mulberry32(7))).not.toEqual(take(mulberry32(8)));
    expect(take(streamFor(0, 'input'))).not.toEqual(take(streamFor(0, 'h')));
    for (const x of take(mulberry32(1))) expect(x >= 0 && x < 1).toBe(true);
  });

  it('hashes with FNV-1a 32', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
  });
});

describe('toFloat16Bits', () => {
  it.each([
    [1, 0x3c00], [-2, 0xc000], [0, 0], [-0, 0x8000], [65504, 0x7bff], [65520, 0x7c00], [Infinity, 0x7c00],
    [0.1, 0x2e66], [2 ** -24, 0x0001], [2 ** -25, 0], [2 ** -14, 0x0400], [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02],
  ])('encodes %d as %i', (value, bits) => {
    expect(toFloat16Bits(value)).toBe(bits);
  });

  it('encodes NaN as a quiet NaN', () => {
    expect(toFloat16Bits(Number.NaN)).toBe(0x7e00);
  });
});

describe('cleanOrtMessage', () => {
  it('drops C++ source positions and status prefixes', () => {
    const raw = '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters\n';
    expect(cleanOrtMessage(raw)).toBe('Failed to get a WebGPU adapter: No supported adapters');
    expect(cleanOrtMessage('[ONNXRuntimeError] : 2 : INVALID_ARGUMENT : Got invalid dimensions')).toBe('Got invalid dimensions');
  });
});
