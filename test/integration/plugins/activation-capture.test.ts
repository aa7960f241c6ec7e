// Activation capture on real ORT sessions: intermediate tensors reach the callback per sample, a bounded group per pass.
import { afterAll, describe, expect, it } from 'vitest';
import { captureActivations, type CapturedTensor } from '../../../plugins/quantize/calibration/activation-capture.js';
import { collectRanges } from '../../../plugins/quantize/calibration/collect-ranges.js';
import { encodeModel, openDataset, openSession, resolveInputSpecs, withGraphOutputs, type InputMetadata, type ModelProto } from '../../../src/api.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { removeTestTmpDirs, testTmpDir } from '../ort/step-context.js';
import { FLOAT, randomWeight } from './quantize-models.js';

afterAll(removeTestTmpDirs);

/** x[1,4,8,8] → Conv → c → Relu → r → MaxPool → p (the output); Shape(p) → s, an int64 side output. */
function convNet(): ModelProto {
  return makeModel({
    nodes: [
      makeNode('Conv', ['x', 'W'], ['c'], { pads: { ints: [1, 1, 1, 1] } }, 'conv'),
      makeNode('Relu', ['c'], ['r'], {}, 'relu'),
      makeNode('MaxPool', ['r'], ['p'], { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } }, 'pool'),
      makeNode('Shape', ['p'], ['s']),
    ],
    inputs: [tensorValueInfo('x', FLOAT, [1, 4, 8, 8])],
    outputs: [tensorValueInfo('p', FLOAT, [1, 6, 4, 4]), tensorValueInfo('s', 7, [4])],
    initializers: [randomWeight('W', [6, 4, 3, 3], 3)],
  });
}

async function dataset(model: ModelProto, samples: number) {
  const probe = await openSession(encodeModel(model), { ep: ['cpu'] });
  const specs = resolveInputSpecs(probe.session.inputMetadata as readonly InputMetadata[], {});
  await probe.session.release();
  return openDataset({ samples, seed: 5 }, specs, 'calibration');
}

describe('activation capture', () => {
  it('hands every tensor of every sample to the callback, in budget-bounded passes, equal to what ORT computes', async () => {
    const model = convNet();
    const data = await dataset(model, 3);
    const seen: Array<[string, number, Float32Array, readonly number[]]> = [];
    const progress: number[] = [];
    const { report, bytes } = await captureActivations(model, {
      tensors: ['x', 'c', 'r', 'p', 's', 'W', 'nope'], samples: data, ep: ['cpu'], scratchDir: testTmpDir(),
      // c is 1536 bytes: each float tensor gets a pass of its own
      budgetBytes: 1600,
      onTensor: (t: CapturedTensor, sample) => void seen.push([t.name, sample, Float32Array.from(t.data), t.dims]),
      progress: (f) => progress.push(f),
    });
    expect(report).toMatchObject({ samples: 3, passes: 4, captured: 4, oversized: [] });
    expect(report.largest_group_bytes).toBe(1536);
    expect(bytes.get('c')).toBe(1536);
    expect(bytes.get('x')).toBe(1024);
    expect(report.skipped.map((s) => s.tensor).sort()).toEqual(['W', 'nope', 's']);
    expect(report.skipped.find((s) => s.tensor === 's')!.reason).toMatch(/int64, not float32/);
    expect(seen.map(([n, s]) => `${n}${s}`)).toEqual(['x0', 'x1', 'x2', 'c0', 'c1', 'c2', 'r0', 'r1', 'r2', 'p0', 'p1', 'p2']);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(1);

    // reference: one session fetching everything at once
    const ref = await openSession(encodeModel(withGraphOutputs(model, ['c', 'r'])), { ep: ['cpu'] });
    const samples = await data.read(0, 3);
    for (const [name, sample, values, dims] of seen) {
      const expected = name === 'x' ? samples[sample]!.x! : (await ref.session.run(samples[sample]!))[name]!;
      expect(dims).toEqual(expected.dims);
      const e = expected.data as Float32Array;
      expect(values.every((v, i) => Math.abs(v - e[i]!) <= 1e-6)).toBe(true);
    }
    await ref.session.release();
    // different samples really differ
    expect(seen[0]![2]).not.toEqual(seen[1]![2]);
  });

  it('packs tensors into one pass when the budget allows, and stops when aborted', async () => {
    const model = convNet();
    const data = await dataset(model, 2);
    const all = await captureActivations(model, {
      tensors: ['c', 'r', 'p'], samples: data, ep: ['cpu'], scratchDir: testTmpDir(), onTensor: () => undefined,
    });
    expect(all.report.passes).toBe(1);
    const controller = new AbortController();
    let calls = 0;
    const aborted = captureActivations(model, {
      tensors: ['c', 'r', 'p'], samples: data, ep: ['cpu'], scratchDir: testTmpDir(), budgetBytes: 1, signal: controller.signal,
      onTensor: () => {
        calls += 1;
        controller.abort();
      },
    });
    await expect(aborted).rejects.toThrow();
    expect(calls).toBe(1);
  });

  it('collects per-tensor ranges over all samples (minmax exact, entropy inside it)', async () => {
    const model = convNet();
    const data = await dataset(model, 3);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    await captureActivations(model, {
      tensors: ['c'], samples: data, ep: ['cpu'], scratchDir: testTmpDir(),
      onTensor: ({ data: d }) => d.forEach((v) => { lo = Math.min(lo, v); hi = Math.max(hi, v); }),
    });
    const options = { samples: data, ep: ['cpu'], scratchDir: testTmpDir() };
    const minmax = await collectRanges(model, ['c', 'r'], { ...options, method: 'minmax' });
    expect(minmax.ranges.get('c')).toEqual({ min: lo, max: hi });
    expect(minmax.ranges.get('r')).toEqual({ min: 0, max: hi });
    const entropy = await collectRanges(model, ['c'], { ...options, method: 'entropy' });
    const r = entropy.ranges.get('c')!;
    expect(r.min).toBeGreaterThanOrEqual(lo);
    expect(r.max).toBeLessThanOrEqual(hi);
    expect(r.max).toBeGreaterThan(0);
    expect(entropy.seen.get('c')).toEqual({ min: lo, max: hi });
  });
});
