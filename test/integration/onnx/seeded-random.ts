// Test support: seeded float inputs, from the same generator the benchmark's synthetic feeds use.
import { mulberry32 } from '../../../src/ort/seeded-random.js';

/** n uniform floats in [-1, 1). */
export function seededFloats(n: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  return Float32Array.from({ length: n }, () => next() * 2 - 1);
}
