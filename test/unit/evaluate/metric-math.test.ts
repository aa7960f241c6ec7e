// The evaluate plugin's metric math, without ORT: pair statistics, class ranks, top-k and binary scoring, fidelity.
import { describe, expect, it } from 'vitest';
import { binaryClass, classRank } from '../../../plugins/evaluate/class-rank.js';
import { ClassScorer } from '../../../plugins/evaluate/class-scorer.js';
import { defaultBatch } from '../../../plugins/evaluate/eval-loop.js';
import { FidelityTracker } from '../../../plugins/evaluate/fidelity.js';
import { PairStats, SNR_CAP_DB } from '../../../src/metrics/pair-stats.js';
import { TargetScorer } from '../../../plugins/evaluate/target-scorer.js';
import type { InputSpec } from '../../../src/api.js';

const f64 = (...v: number[]): Float64Array => Float64Array.from(v);

function pair(reference: number[], measured: number[]): ReturnType<PairStats['summary']> & { nonFinite: number } {
  const s = new PairStats();
  s.add(reference, measured);
  return { ...s.summary(), nonFinite: s.nonFinite };
}

describe('PairStats', () => {
  // [reference, measured, mse, cosine, snr_db, max_abs], each worked out by hand
  it.each([
    ['identical', [1, 2, 3], [1, 2, 3], 0, 1, SNR_CAP_DB, 0],
    ['all zeros measured', [3, 4], [0, 0], 12.5, 0, 0, 4], // error energy 25 = signal energy 25
    ['orthogonal', [1, 0], [0, 1], 1, 0, 10 * Math.log10(0.5), 1],
    ['±10 % noise', [1, 1, 1, 1], [1.1, 0.9, 1.1, 0.9], 0.01, 1 / Math.sqrt(1.01), 20, 0.1], // Σr² 4 / Σe² 0.04 = 100
    ['negated', [2, 4], [-2, -4], 40, -1, 10 * Math.log10(20 / 80), 8],
    ['both zero', [0, 0], [0, 0], 0, 1, SNR_CAP_DB, 0],
    ['zero reference', [0, 0], [1, 0], 0.5, 0, -SNR_CAP_DB, 1],
  ])('%s', (_name, r, m, mse, cosine, snr, maxAbs) => {
    const s = pair(r, m);
    expect(s.mse).toBeCloseTo(mse, 12);
    expect(s.cosine).toBeCloseTo(cosine, 12);
    expect(s.snr_db).toBeCloseTo(snr, 10);
    expect(s.max_abs).toBeCloseTo(maxAbs, 12);
    expect(s.elements).toBe(r.length);
  });

  it('sums over several adds exactly as over one concatenated add', () => {
    const s = new PairStats();
    s.add([3], [0]);
    s.add([4], [0]);
    const { nonFinite, ...once } = pair([3, 4], [0, 0]);
    expect(s.summary()).toEqual(once);
    expect(s.summary()).toMatchObject({ mse: 12.5, snr_db: 0, max_abs: 4, elements: 2 });
  });

  it('counts NaN/Inf that differ; the same NaN or infinity on both sides agrees', () => {
    expect(pair([Number.NaN, 1, Infinity], [Number.NaN, 1, Infinity])).toMatchObject({ nonFinite: 0, mse: 0, elements: 3 });
    expect(pair([1, Infinity, 2], [1, 2, Number.NaN]).nonFinite).toBe(2);
  });

  it('refuses to compare arrays of different lengths', () => {
    expect(() => new PairStats().add([1, 2], [1])).toThrow(RangeError);
  });
});

describe('classRank / binaryClass', () => {
  it.each([
    [[0.1, 0.7, 0.2], 1, 0], [[0.1, 0.7, 0.2], 2, 1], [[0.1, 0.7, 0.2], 0, 2],
    [[0.5, 0.5, 0.1], 0, 0], [[0.5, 0.5, 0.1], 1, 1], // a tie goes to the lower index, as argmax does
    [[Number.NaN, 1], 0, 2], [[Number.NaN, 1], 1, 0], // a NaN label score ranks last; a NaN rival never outranks
  ])('rank of %j for class %i is %i', (scores, label, rank) => {
    expect(classRank(scores, label)).toBe(rank);
  });

  it('binary: class 1 at or above the threshold', () => {
    expect([binaryClass(0.5, 0.5), binaryClass(0.49, 0.5), binaryClass(-0.1, 0), binaryClass(0, 0), binaryClass(Number.NaN, 0.5)]).toEqual([1, 0, 0, 1, undefined]);
  });
});

const place = { labelsFile: 'data/eval/labels.npy', output: 'probs' };

function scoreClasses(samples: Array<[number[], number]>, threshold = 0.5, primary: 'top1' | 'top5' = 'top1'): ReturnType<ClassScorer['result']> {
  const scorer = new ClassScorer({ ...place, threshold, primary });
  samples.forEach(([scores, label], i) => scorer.add(f64(...scores), [1, scores.length], f64(label), i));
  return scorer.result();
}

describe('ClassScorer', () => {
  const seven = [0, 1, 2, 3, 4, 5, 6]; // class 6 ranks first, class k ranks 6 − k

  it('top-1 and top-5 over 7 classes: 2 of 4 first, 3 of 4 within five', () => {
    const r = scoreClasses([[seven, 6], [seven, 6], [seven, 2], [seven, 1]]);
    expect(r.accuracy).toEqual({ top1: 0.5, top5: 0.75 });
    expect(r.notComputed).toEqual({});
    expect(r.details).toEqual({ classes: 7 });
  });

  it('top-5 is not computed for 5 or fewer classes, and says why', () => {
    const r = scoreClasses([[[0.2, 0.5, 0.3], 1], [[0.2, 0.5, 0.3], 2]]);
    expect(r.accuracy).toEqual({ top1: 0.5 });
    expect(r.notComputed.top5).toMatch(/output "probs" scores only 3 classes; top-5 of 5 or fewer classes is always 1/);
  });

  it('one score per sample is a binary classifier with a threshold', () => {
    const samples: Array<[number[], number]> = [[[0.9], 1], [[0.2], 0], [[0.6], 0], [[0.4], 1]];
    expect(scoreClasses(samples).accuracy).toEqual({ top1: 0.5 });
    const low = scoreClasses(samples, 0.3);
    expect(low.accuracy).toEqual({ top1: 0.75 });
    expect(low.details).toEqual({ classes: 2, threshold: 0.3 });
    expect(low.notComputed.top5).toMatch(/one score per sample \(a binary classifier: class 1 when ≥ 0\.3\)/);
  });

  it.each([
    ['a class id out of range', [[[0.2, 0.5, 0.3], 1], [[0.2, 0.5, 0.3], 3]], 'E_EVAL_LABELS', /labels\.npy: sample 1 \(counting from 0\) has label 3, but output "probs" is 3 classes: labels must be class ids 0\.\.2/],
    ['a fractional label', [[[0.2, 0.8], 0.5]], 'E_EVAL_LABELS', /has label 0\.5/],
    ['a binary label that is not 0/1', [[[0.7], 2]], 'E_EVAL_LABELS', /a binary classifier \(one score per sample\): labels must be 0 or 1/],
    ['a class count that changes', [[[0.2, 0.8], 0], [[0.2, 0.3, 0.5], 0]], 'E_EVAL_LABELS', /gave 3 scores for sample 1, 2 for the samples before it/],
  ] as Array<[string, Array<[number[], number]>, string, RegExp]>)('%s', (_name, samples, code, message) => {
    expect(() => scoreClasses(samples)).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) }));
  });

  it('needs one score per class: a [1, 2, 3] output is refused', () => {
    const scorer = new ClassScorer({ ...place, threshold: 0.5, primary: 'top1' });
    expect(() => scorer.add(new Float64Array(6), [1, 2, 3], f64(0), 0)).toThrow(/output "probs" has shape \[1, 2, 3\]: top-1\/top-5 accuracy needs one score per class/);
  });

  it('a top5 primary metric with too few classes is an error, not a warning', () => {
    expect(() => scoreClasses([[[0.2, 0.5, 0.3], 1]], 0.5, 'top5')).toThrow(expect.objectContaining({ code: 'E_EVAL_METRIC', message: expect.stringMatching(/only 3 classes/) }));
  });
});

describe('TargetScorer', () => {
  it('MSE, cosine and SNR of the output against the targets; size-1 dims do not matter', () => {
    const scorer = new TargetScorer({ ...place, labelShape: [2] });
    scorer.add(f64(1, 2), [1, 2], f64(2, 4), 0); // error [1, 2]: Σe² 5, Σt² 20
    const r = scorer.result();
    expect(r.accuracy.mse).toBe(2.5);
    expect(r.accuracy.cosine).toBeCloseTo(1, 12);
    expect(r.accuracy.snr_db).toBeCloseTo(10 * Math.log10(4), 12);
  });

  it('names both shapes when the targets do not fit the output', () => {
    const scorer = new TargetScorer({ ...place, labelShape: [2] });
    expect(() => scorer.add(f64(1, 2, 3), [1, 3], f64(1, 2), 4)).toThrow(/each sample's target has shape \[2\], but output "probs" has shape \[1, 3\] \(sample 4\)/);
  });

  it('NaN in the output leaves the metrics not computed, with the reason', () => {
    const scorer = new TargetScorer({ ...place, labelShape: [2] });
    scorer.add(f64(Number.NaN, 2), [2], f64(1, 2), 0);
    const r = scorer.result();
    expect(r.accuracy).toEqual({});
    expect(r.notComputed.mse).toMatch(/1 of 2 values .* NaN or ±Inf/);
  });
});

describe('FidelityTracker', () => {
  const out = (...v: number[]): { values: Float64Array; dims: number[] } => ({ values: f64(...v), dims: [1, v.length] });

  it('per output, and overall as the worst output', () => {
    const t = new FidelityTracker(['a', 'b']);
    t.add({ a: out(1, 2), b: out(1, 1) }, { a: out(1, 2), b: out(1, 0) }, 0);
    const r = t.result();
    expect(r.per_output.a).toMatchObject({ mse: 0, cosine: 1, snr_db: SNR_CAP_DB, max_abs: 0 });
    expect(r.per_output.b!.mse).toBe(0.5);
    expect(r.per_output.b!.cosine).toBeCloseTo(Math.SQRT1_2, 12); // 1 / √(2·1)
    expect(r.per_output.b!.snr_db).toBeCloseTo(10 * Math.log10(2), 12);
    expect(r.overall).toEqual({ cosine: r.per_output.b!.cosine, snr_db: r.per_output.b!.snr_db, mse: 0.5, max_abs: 1 });
  });

  it('an output of another shape is an error naming both', () => {
    const t = new FidelityTracker(['a']);
    expect(() => t.add({ a: out(1, 2) }, { a: { values: f64(1, 2), dims: [2, 1] } }, 3))
      .toThrow(expect.objectContaining({ code: 'E_EVAL_SHAPE', message: expect.stringMatching(/output "a" has shape \[2, 1\] but the source model's has \[1, 2\] \(eval sample 3\)/) }));
  });

  it('a NaN output has no fidelity, and then there is no overall value either', () => {
    const t = new FidelityTracker(['a', 'b']);
    t.add({ a: out(1), b: out(1) }, { a: out(1), b: out(Number.NaN) }, 0);
    const r = t.result();
    expect(r.overall).toBeUndefined();
    expect(Object.keys(r.per_output)).toEqual(['a']);
    expect(r.notComputed.b).toMatch(/1 of 1 values of output "b" are NaN/);
  });
});

describe('defaultBatch', () => {
  it.each([
    ['a small input', [{ name: 'x', dtype: 'float32', shape: [1, 4] }], 32],
    ['ISNet-sized images (12.6 MB)', [{ name: 'x', dtype: 'float32', shape: [1, 3, 1024, 1024] }], 5],
    ['a huge input still reads one', [{ name: 'x', dtype: 'float32', shape: [1, 3, 4096, 4096] }], 1],
    ['pinned constants do not count', [{ name: 'x', dtype: 'float16', shape: [1, 3, 1024, 1024] }, { name: 'k', dtype: 'float32', shape: [1, 3, 1024, 1024], value: 0 }], 10],
  ] as Array<[string, InputSpec[], number]>)('%s: %i', (_name, specs, batch) => {
    expect(defaultBatch(specs)).toBe(batch);
  });
});
