// Seeded samples from known distributions for the bootstrap tests: their true quantiles and means are known exactly.
import { mulberry32 } from '../../../src/ort/seeded-random.js';

/** n draws of an exponential with the given mean (median = mean·ln 2, q-quantile = −mean·ln(1 − q)). */
export function exponential(n: number, seed: number, mean = 1): number[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => -mean * Math.log(1 - rng()));
}

export const exponentialQuantile = (q: number, mean = 1): number => -mean * Math.log(1 - q);

/** n latency-like draws: a floor plus an exponential tail, the shape timing samples usually have. */
export function shiftedExponential(n: number, seed: number, floor: number, tailMean: number): number[] {
  return exponential(n, seed, tailMean).map((x) => floor + x);
}

/** The share of `trials` seeded intervals that contain `truth`. */
export function coverage(trials: number, truth: number, interval: (trial: number) => { lo: number; hi: number }): number {
  let hits = 0;
  for (let t = 0; t < trials; t++) {
    const { lo, hi } = interval(t);
    if (lo <= truth && truth <= hi) hits++;
  }
  return hits / trials;
}
