// Deterministic pseudo-random numbers for synthetic inputs: mulberry32, seeded per input name with FNV-1a.

/** A generator of uniform floats in [0, 1); the same seed always gives the same sequence. */
export type Random = () => number;

/** mulberry32: a 32-bit state PRNG, plenty for test/benchmark data (not for cryptography). */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a 32-bit hash of a string: mixes an input's name into the seed so pinning one input leaves others unchanged. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The generator for one named stream (e.g. one model input) under a global seed. */
export function streamFor(seed: number, name: string): Random {
  return mulberry32((seed ^ fnv1a(name)) >>> 0);
}
