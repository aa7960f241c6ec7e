// The `optimize` plugin: levels, ORT format, the hardware-specific guard, node counts, and outputs unchanged.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { countOps } from '../../../plugins/optimize/op-counts.js';
import { EXTERNAL_DATA_NAME, optimizePlugin } from '../../../plugins/optimize/index.js';
import type { InputPin } from '../../../src/api.js';
import { compareModels } from '../ort/compare-models.js';
import { HELLO_DEEPA, removeTestTmpDirs, SILERO, SILERO_PINS, testContext, testTmpDir } from '../ort/step-context.js';
import { DataType, encodeTensor, writeModel } from '../../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { mlp } from './quantize-models.js';
import { conv2dModel } from './optimize-conv-model.js';

afterAll(removeTestTmpDirs);

/** Max |a − b| over all outputs of the input model run unoptimized and the output model, on seeded feeds. */
const maxOutputDiff = async (input: string, output: string, pins: Record<string, InputPin>): Promise<number> =>
  (await compareModels(input, output, pins, [0, 1])).maxAbs;

describe('optimize plugin', () => {
  it('rejects unknown params and levels', () => {
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(optimizePlugin.params);
    expect(validate({ level: 'extended', format: 'ort' })).toBe(true);
    expect(validate({ level: 'max' })).toBe(false);
    expect(validate({ opt_level: 2 })).toBe(false);
  });

  it.each([
    ['basic', 'onnx', 'silero', SILERO, SILERO_PINS],
    ['extended', 'onnx', 'silero', SILERO, SILERO_PINS],
    ['extended', 'ort', 'silero', SILERO, SILERO_PINS],
    ['extended', 'onnx', 'hello_deepa', HELLO_DEEPA, {}],
  ] as const)('level %s → %s on %s loads and computes the same outputs', async (level, format, _name, model, pins) => {
    const ctx = testContext(model, { pins });
    const out = await optimizePlugin.run(ctx, { level, format });
    expect(out.files.model).toMatch(new RegExp(`model\\.${format}$`));
    expect(await maxOutputDiff(model, out.files.model!, pins)).toBeLessThanOrEqual(1e-5);
    const diffs = (out.metrics as { max_abs_diff: Record<string, number> }).max_abs_diff;
    expect(Math.max(...Object.values(diffs))).toBeLessThanOrEqual(1e-5);
  });

  it('a model with external data (written by onnx itself) comes out whole: weights inline or in one file beside it', async () => {
    // ORT's saved model would still name the input's weights.bin, relative to a folder where there is none
    const model = 'test/fixtures/onnx/external-mlp/model.onnx';
    const ctx = testContext(model);
    const out = await optimizePlugin.run(ctx, { level: 'basic' });
    // these weights are under ORT's 1 KiB threshold, so they go inline; bigger ones go to model.onnx.data
    expect(readdirSync(ctx.tmpDir).every((f) => ['model.onnx', EXTERNAL_DATA_NAME].includes(f))).toBe(true);
    expect(await maxOutputDiff(model, out.files.model!, {})).toBeLessThanOrEqual(1e-5);
  });

  it('weights of 1 KiB and more go to model.onnx.data when the input kept them outside', async () => {
    const dir = testTmpDir();
    const model = path.join(dir, 'mlp.onnx');
    await writeModel(mlp(), model, { externalData: { location: 'weights.bin', threshold: 0 } });
    const ctx = testContext(model);
    const out = await optimizePlugin.run(ctx, { level: 'extended' });
    expect(readdirSync(ctx.tmpDir).sort()).toEqual(['model.onnx', EXTERNAL_DATA_NAME]);
    expect(await maxOutputDiff(model, out.files.model!, {})).toBeLessThanOrEqual(1e-5);
  });

  it('a model that cannot run on generated inputs says which integer input to pin, and runs once it is pinned', async () => {
    // Gather with its indices as an input: random integers in [0, 16) fall outside the 5 rows of the table
    const gather = makeModel({
      nodes: [makeNode('Gather', ['table', 'indices'], ['y'])],
      inputs: [tensorValueInfo('indices', DataType.INT64, [3])],
      outputs: [tensorValueInfo('y', DataType.FLOAT, [3, 4])],
      initializers: [encodeTensor(new Float32Array(20).fill(1), [5, 4], { name: 'table' })],
    });
    const file = path.join(testTmpDir(), 'gather.onnx');
    await writeModel(gather, file, { externalData: false });
    const err = await optimizePlugin.run(testContext(file), { level: 'basic' }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'E_RUN_GENERATED_INPUTS',
      message: expect.stringMatching(/^ONNX Runtime could not run gather\.onnx on the inputs edgeopt generated .*indices element out of data bounds/),
      hint: expect.stringMatching(/integer inputs \(indices\) .* model\.inputs\.indices: \{ shape: \[3\], value: 0 \}/),
    });
    const pinned = await optimizePlugin.run(testContext(file, { pins: { indices: { shape: [3], value: 2 } } }), { level: 'basic' });
    expect((pinned.metrics as { max_abs_diff: Record<string, number> }).max_abs_diff).toEqual({ y: 0 });
  });

  it('fuses ops at extended and reports node counts before and after', async () => {
    const out = await optimizePlugin.run(testContext(HELLO_DEEPA), { level: 'extended' });
    const m = out.metrics as Record<string, any>;
    expect(m.nodes_before.by_op.ReduceMean).toBe(4);
    expect(m.nodes_after.total).toBeLessThan(m.nodes_before.total);
    expect(m.nodes_after.by_op.LayerNormalization).toBe(2);
    expect(m.nodes_after.by_op.ReduceMean).toBeUndefined();
    // the counts are those of the file written, not of the input
    expect(countOps(readFileSync(out.files.model!))).toEqual(m.nodes_after);
  });

  it('counts nodes inside If subgraphs (silero\'s LSTMs)', () => {
    const counts = countOps(readFileSync(SILERO));
    expect(counts.by_op.If).toBe(9);
    expect(counts.by_op.LSTM).toBe(8);
  });

  it('refuses level all without allow_hardware_specific, at recipe time and at run time', async () => {
    expect(optimizePlugin.check!({ level: 'all' })).toEqual([expect.objectContaining({ pointer: '/level' })]);
    expect(optimizePlugin.check!({ level: 'layout', allow_hardware_specific: true })).toEqual([]);
    await expect(optimizePlugin.run(testContext(HELLO_DEEPA), { level: 'all' })).rejects.toMatchObject({ code: 'E_HARDWARE_SPECIFIC' });
  });

  it('never applies level all for a target other than the build host\'s CPU, even when allowed', async () => {
    const ctx = testContext(HELLO_DEEPA, { target: { format: 'onnx', ep: ['xnnpack', 'cpu'], threads: 1 } });
    await expect(optimizePlugin.run(ctx, { level: 'all', allow_hardware_specific: true })).rejects.toMatchObject({
      code: 'E_HARDWARE_SPECIFIC', message: expect.stringMatching(/target\.ep \[xnnpack, cpu\]/),
    });
    const ort = testContext(HELLO_DEEPA, { target: { format: 'ort', ep: ['cpu'], threads: 1 } });
    await expect(optimizePlugin.run(ort, { level: 'layout', allow_hardware_specific: true })).rejects.toMatchObject({ code: 'E_HARDWARE_SPECIFIC' });
  });

  it('with allow_hardware_specific, writes NCHWc ops for a 2-D conv net and warns', async () => {
    const ctx = testContext(await conv2dModel());
    const out = await optimizePlugin.run(ctx, { level: 'all', allow_hardware_specific: true });
    const m = out.metrics as Record<string, any>;
    const nchwc = Object.keys(m.nodes_after.by_op).filter((op) => op.startsWith('com.microsoft.nchwc.'));
    expect(nchwc.length).toBeGreaterThan(0);
    expect(out.warnings?.[0]).toMatch(/^level all .*\([1-9]\d* com\.microsoft\.nchwc ops/);
    expect(await maxOutputDiff(ctx.inputs.model.path, out.files.model!, {})).toBeLessThanOrEqual(1e-4);
  });
});
