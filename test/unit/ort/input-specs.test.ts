// Pins + model input metadata → concrete input specs, and the errors that tell a user how to pin.
import { describe, expect, it } from 'vitest';
import { EdgeoptError } from '../../../src/errors.js';
import { resolveInputSpecs, type InputMetadata } from '../../../src/ort/input-specs.js';

// Silero VAD v4's inputs as onnxruntime-node 1.30 reports them
const SILERO: InputMetadata[] = [
  { name: 'input', isTensor: true, type: 'float32', shape: ['batch', 'sequence'] },
  { name: 'sr', isTensor: true, type: 'int64', shape: [] },
  { name: 'h', isTensor: true, type: 'float32', shape: [2, 'batch', 64] },
  { name: 'c', isTensor: true, type: 'float32', shape: [2, 'batch', 64] },
];

function thrown(fn: () => unknown): EdgeoptError {
  try {
    fn();
  } catch (err) {
    if (err instanceof EdgeoptError) return err;
    throw err;
  }
  throw new Error('expected an EdgeoptError');
}

describe('resolveInputSpecs', () => {
  it('uses pinned shapes and constants, metadata dtypes otherwise', () => {
    const specs = resolveInputSpecs(SILERO, {
      input: { shape: [1, 512] }, sr: { shape: [], dtype: 'int64', value: 16000 }, h: { shape: [2, 1, 64] }, c: { shape: [2, 1, 64] },
    });
    expect(specs).toEqual([
      { name: 'input', dtype: 'float32', shape: [1, 512] },
      { name: 'sr', dtype: 'int64', shape: [], value: 16000 },
      { name: 'h', dtype: 'float32', shape: [2, 1, 64] },
      { name: 'c', dtype: 'float32', shape: [2, 1, 64] },
    ]);
  });

  it('names every unpinned dynamic input with its shape and the pin to write', () => {
    const err = thrown(() => resolveInputSpecs(SILERO, {}));
    expect(err.code).toBe('E_DYNAMIC_DIM');
    expect(err.kind).toBe('recipe');
    expect(err.message).toContain('input [batch, sequence]');
    expect(err.message).toContain('h [2, batch, 64]');
    expect(err.message).toContain('c [2, batch, 64]');
    expect(err.message).not.toContain('sr');
    expect(err.hint).toContain('model.inputs.input: [1, <sequence>]');
    expect(err.hint).toContain('model.inputs.h: [2, 1, 64]');
  });

  it('accepts an unpinned input whose dims are all fixed', () => {
    const specs = resolveInputSpecs([{ name: 'x', isTensor: true, type: 'float32', shape: [1, 25, 96] }], {});
    expect(specs).toEqual([{ name: 'x', dtype: 'float32', shape: [1, 25, 96] }]);
  });

  it('rejects a pin for an input the model does not have, listing the real ones', () => {
    const err = thrown(() => resolveInputSpecs(SILERO, { audio: { shape: [1, 512] } }));
    expect(err.code).toBe('E_PIN_UNKNOWN_INPUT');
    expect(err.message).toContain('"audio"');
    expect(err.message).toContain('input, sr, h, c');
  });

  it('rejects a rank mismatch, showing both shapes', () => {
    const err = thrown(() => resolveInputSpecs(SILERO, { h: { shape: [1, 64] } }));
    expect(err.code).toBe('E_PIN_SHAPE');
    expect(err.message).toContain('[1, 64]');
    expect(err.message).toContain('[2, batch, 64]');
  });

  it('rejects changing a fixed dim', () => {
    const err = thrown(() => resolveInputSpecs(SILERO, { h: { shape: [3, 1, 64] } }));
    expect(err.code).toBe('E_PIN_SHAPE');
    expect(err.message).toContain('dim 0');
  });

  it('rejects a pinned dtype the model does not take', () => {
    expect(thrown(() => resolveInputSpecs(SILERO, { sr: { shape: [], dtype: 'int32', value: 16000 } })).code).toBe('E_PIN_DTYPE');
  });

  it('rejects a constant with the wrong number of elements', () => {
    const err = thrown(() => resolveInputSpecs([{ name: 'x', isTensor: true, type: 'float32', shape: ['n'] }], { x: { shape: [3], value: [1, 2] } }));
    expect(err.code).toBe('E_PIN_VALUE');
  });

  it('refuses inputs it cannot make data for', () => {
    const err = thrown(() => resolveInputSpecs([{ name: 's', isTensor: true, type: 'string', shape: [1] }], {}));
    expect(err.code).toBe('E_UNSUPPORTED_INPUT');
  });
});
