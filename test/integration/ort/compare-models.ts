// Test support: a float model and a candidate (optimized, quantized) run on the same seeded inputs, compared element-wise.
import { expect } from 'vitest';
import { buildFeeds, openSession, type InputPin } from '../../../src/api.js';

export interface Comparison {
  cosine: number;
  maxAbs: number;
  /** max |float| over the outputs, to state error bounds relative to the output's range */
  maxRef: number;
}

/** Runs the float model and the candidate on `seeds` seeded inputs and compares every output element by element. */
export async function compareModels(reference: string, candidate: string, pins: Record<string, InputPin> = {}, seeds = [11, 12, 13]): Promise<Comparison> {
  const ref = (await openSession(reference, { ep: ['cpu'], sessionOptions: { graphOptimizationLevel: 'disabled' } })).session;
  const cand = (await openSession(candidate, { ep: ['cpu'] })).session;
  let dot = 0;
  let aa = 0;
  let bb = 0;
  let maxAbs = 0;
  let maxRef = 0;
  try {
    for (const seed of seeds) {
      const feeds = buildFeeds(ref, pins, seed);
      const [a, b] = [await ref.run(feeds), await cand.run(feeds)];
      for (const name of ref.outputNames) {
        expect(b[name]!.dims).toEqual(a[name]!.dims);
        const x = a[name]!.data as Float32Array;
        const y = b[name]!.data as Float32Array;
        for (let i = 0; i < x.length; i++) {
          dot += x[i]! * y[i]!;
          aa += x[i]! * x[i]!;
          bb += y[i]! * y[i]!;
          maxAbs = Math.max(maxAbs, Math.abs(x[i]! - y[i]!));
          maxRef = Math.max(maxRef, Math.abs(x[i]!));
        }
      }
    }
  } finally {
    await ref.release();
    await cand.release();
  }
  return { cosine: dot / Math.sqrt(aa * bb), maxAbs, maxRef };
}
