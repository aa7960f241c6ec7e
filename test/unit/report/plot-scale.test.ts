// Axis scales stay finite and short whatever the domain: two values one ulp apart once made the tick loop endless.
import { describe, expect, it } from 'vitest';
import { autoScale, linearScale, logScale } from '../../../src/report/plot-scale.js';

const ulpAbove = (x: number): number => {
  const f = new Float64Array([x]);
  new BigInt64Array(f.buffer)[0]! += 1n;
  return f[0]!;
};

describe('plot scales', () => {
  it('round ticks over an ordinary domain, covering it', () => {
    const s = linearScale([0.3, 2.7], [0, 100]);
    expect(s.ticks).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3]);
    expect(s(0)).toBe(0);
    expect(s(3)).toBe(100);
  });

  it.each([
    ['one ulp apart', [0.3, ulpAbove(0.3)]],
    ['large values one ulp apart', [123456.789, ulpAbove(123456.789)]],
    ['equal', [5, 5]],
    ['zero width at zero', [0, 0]],
    ['reversed', [2, 1]],
    ['infinite', [Infinity, -Infinity]],
    ['NaN', [NaN, 1]],
  ] as Array<[string, [number, number]]>)('a degenerate domain (%s) gets a few finite ticks', (_name, domain) => {
    const s = linearScale(domain, [0, 100]);
    expect(s.ticks.length).toBeGreaterThanOrEqual(2);
    expect(s.ticks.length).toBeLessThanOrEqual(51);
    for (const t of s.ticks) expect(Number.isFinite(t)).toBe(true);
    expect(Number.isFinite(s(s.ticks[0]!))).toBe(true);
    const finite = domain.filter(Number.isFinite);
    for (const v of finite) expect(v).toBeGreaterThanOrEqual(s.ticks[0]! - 1e-9 * Math.abs(v));
  });

  it('autoScale of nearly equal, empty or non-finite values', () => {
    expect(autoScale([0.3, ulpAbove(0.3)], [0, 1]).ticks.length).toBeLessThanOrEqual(51);
    expect(autoScale([], [0, 1]).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(autoScale([NaN, Infinity], [0, 1]).log).toBe(false);
    expect(autoScale([1, 1000], [0, 1]).log).toBe(true);
  });

  it('log scale: decades covering the domain; a non-positive domain falls back to linear', () => {
    expect(logScale([2, 500], [0, 1]).ticks).toEqual([1, 10, 100, 1000]);
    expect(logScale([1, 1], [0, 1]).ticks).toEqual([1, 10]);
    expect(logScale([0, 10], [0, 1]).log).toBe(false);
  });
});
