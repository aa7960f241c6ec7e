// The error metrics of a mixed-precision budget, without ORT: cosine, SNR, MSE, which way is worse, and the bound check.
import { describe, expect, it } from 'vitest';
import { outputError, withinBudget, worseFirst } from '../../../plugins/quantize/static/output-error.js';
import { SNR_CAP_DB } from '../../../src/api.js';

describe('error budget metrics', () => {
  const ref = Float32Array.of(1, -2, 3, 0.5);
  const noisy = Float32Array.of(1.1, -2, 2.9, 0.5);

  it('measures cosine, SNR (dB) and MSE', () => {
    expect(outputError(ref, ref, 'cosine')).toBeCloseTo(1, 12);
    expect(outputError(ref, ref, 'snr_db')).toBe(SNR_CAP_DB);
    expect(outputError(ref, noisy, 'mse')).toBeCloseTo(0.02 / 4, 6);
    // Σref² = 14.25, Σerr² = 0.02
    expect(outputError(ref, noisy, 'snr_db')).toBeCloseTo(10 * Math.log10(14.25 / 0.02), 2);
    expect(outputError(ref, Float32Array.of(-1, 2, -3, -0.5), 'cosine')).toBeCloseTo(-1, 12);
    // a NaN the float model does not have is the worst error, never a silently skipped element
    const nan = Float32Array.of(1, Number.NaN, 3, 0.5);
    expect([outputError(ref, nan, 'snr_db'), outputError(ref, nan, 'mse'), outputError(ref, nan, 'cosine')]).toEqual([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -1]);
  });

  it('orders worst first and checks the bound in the metric’s direction', () => {
    expect([3, 1, 2].sort(worseFirst('snr_db'))).toEqual([1, 2, 3]);
    expect([3, 1, 2].sort(worseFirst('mse'))).toEqual([3, 2, 1]);
    expect(withinBudget(31, { metric: 'snr_db', min: 30 })).toBe(true);
    expect(withinBudget(0.998, { metric: 'cosine', min: 0.999 })).toBe(false);
    expect(withinBudget(0.01, { metric: 'mse', max: 0.001 })).toBe(false);
  });
});
