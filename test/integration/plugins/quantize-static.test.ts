// Static INT8 (QDQ) through the quantize plugin: placement, weights and options, run in ORT against the float model,
// and the graph ORT makes of it inspected (what fused, what stayed float).
import { afterAll, describe, expect, it } from 'vitest';
import { optimizePlugin } from '../../../plugins/optimize/index.js';
import { quantizePlugin } from '../../../plugins/quantize/index.js';
import type { QuantizeParams } from '../../../plugins/quantize/params.js';
import { decodeTensor } from '../../../src/onnx/index.js';
import { compareModels } from '../ort/compare-models.js';
import { removeTestTmpDirs, testContext } from '../ort/step-context.js';
import { opCounts, saveModel } from './quantize-models.js';
import { dequantizeConsumers, ortOptimized, quantize, STATIC } from './static-harness.js';
import { convNet, gemmMlp } from './static-models.js';

afterAll(removeTestTmpDirs);

describe('quantize: static INT8 placement', () => {
  it('conv net: everything ORT can fuse runs as integer kernels; only bilinear Resize and the output Sigmoid stay float', async () => {
    const src = await saveModel(convNet(), 'convnet');
    const { model, metrics, file, out } = await quantize(src);
    expect(opCounts(model).Relu).toBeUndefined();
    expect(metrics.folded_activations).toBe(2);
    expect(metrics.quantized).toEqual({ Conv: 4, MaxPool: 1, Add: 1, Concat: 1 });
    expect(out.warnings?.join('\n')).toMatch(/seeded random data/);
    const fused = opCounts(await ortOptimized(file));
    expect(fused).toMatchObject({ QLinearConv: 4, 'com.microsoft.QLinearAdd': 1, 'com.microsoft.QLinearConcat': 1, MaxPool: 1 });
    expect(fused.Conv).toBeUndefined();
    // no stray pairs: one Q for the input, one DQ/Q around the Resize, one DQ in front of the graph-output Sigmoid
    expect(fused).toMatchObject({ QuantizeLinear: 2, DequantizeLinear: 2 });
    expect(dequantizeConsumers(await ortOptimized(file))).toEqual(['Resize', 'Sigmoid']);
    const cmp = await compareModels(src, file);
    expect(cmp.cosine).toBeGreaterThan(0.999);
    expect(metrics.fidelity.y.cosine_similarity).toBeGreaterThan(0.999);
    expect(metrics.size_after_bytes).toBeLessThan(metrics.size_before_bytes);
  });

  it('stores int8 per-channel weights within half a step, and int32 biases at activation scale × weight scale', async () => {
    const src = await saveModel(convNet(), 'convnet-weights');
    const { model } = await quantize(src);
    const init = new Map(model.graph!.initializer.map((t) => [t.name, t]));
    const float = decodeTensor(convNet().graph!.initializer.find((t) => t.name === 'W2')!) as Float32Array;
    const q = decodeTensor(init.get('W2_quantized')!) as Int8Array;
    const scales = decodeTensor(init.get('W2_scale')!) as Float32Array;
    expect(init.get('W2_quantized')!.data_type).toBe(3); // INT8
    expect(scales).toHaveLength(8);
    const perFilter = float.length / 8;
    let worst = 0;
    for (let i = 0; i < float.length; i++) worst = Math.max(worst, Math.abs(q[i]! * scales[Math.floor(i / perFilter)]! - float[i]!) / scales[Math.floor(i / perFilter)]!);
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-6);
    const bias = init.get('B2_quantized')!;
    expect(bias.data_type).toBe(6); // INT32
    const biasScale = decodeTensor(init.get('B2_scale')!) as Float32Array;
    const inputScale = (decodeTensor(init.get('p1_scale')!) as Float32Array)[0]!;
    expect(biasScale[3]).toBe(Math.fround(inputScale * scales[3]!));
    const b = decodeTensor(convNet().graph!.initializer.find((t) => t.name === 'B2')!) as Float32Array;
    const bq = decodeTensor(bias) as Int32Array;
    for (let c = 0; c < 8; c++) expect(Math.abs(bq[c]! * biasScale[c]! - b[c]!)).toBeLessThanOrEqual(biasScale[c]! / 2 + 1e-9);
  });

  it('Gemm and MatMul MLP: QGemm with alpha/beta folded, QLinearMatMul, close to float', async () => {
    const src = await saveModel(gemmMlp(), 'gemm-mlp');
    // min/max over few samples of a 24-wide layer misses its tails: enough samples that fresh inputs rarely saturate
    const { file, metrics } = await quantize(src, STATIC, { samples: 256, seed: 3 });
    expect(metrics.quantized).toEqual({ Gemm: 1, MatMul: 1 });
    const fused = opCounts(await ortOptimized(file));
    expect(fused).toMatchObject({ 'com.microsoft.QGemm': 1, QLinearMatMul: 1 });
    expect(fused.Gemm).toBeUndefined();
    expect(fused.MatMul).toBeUndefined();
    const cmp = await compareModels(src, file);
    expect(cmp.cosine).toBeGreaterThan(0.999);
    expect(cmp.maxAbs).toBeLessThan(0.05 * cmp.maxRef);
  });
});

describe('quantize: static INT8 options', () => {
  it.each([
    ['per-tensor weights', { per_channel: false }, 0.998],
    ['7-bit weights (reduce_range)', { reduce_range: true }, 0.998],
    ['uint8 weights (U8U8)', { weight_type: 'uint8' }, 0.999],
    ['entropy calibration', { calibration: { method: 'entropy' } }, 0.995],
    ['percentile calibration', { calibration: { method: 'percentile', percentile: 99.99 } }, 0.995],
  ] as Array<[string, Partial<QuantizeParams>, number]>)('%s: fuses and stays close to float', async (_name, extra, cosine) => {
    const src = await saveModel(convNet(), 'convnet-variant');
    const { file, metrics } = await quantize(src, { ...STATIC, ...extra });
    expect(metrics.quantized.Conv).toBe(4);
    expect(opCounts(await ortOptimized(file)).QLinearConv).toBe(4);
    expect((await compareModels(src, file)).cosine).toBeGreaterThan(cosine);
  });

  it('symmetric activations: Relu cannot fold (its zero point is mid-range) and stays a float op between Q/DQ', async () => {
    const src = await saveModel(convNet(), 'convnet-sym');
    const { file, model, metrics } = await quantize(src, { ...STATIC, activation_symmetric: true });
    expect(opCounts(model).Relu).toBe(2);
    expect(metrics.folded_activations).toBe(0);
    const zp = model.graph!.initializer.find((t) => t.name === 'c1_zero_point')!;
    expect(Array.from(decodeTensor(zp) as Uint8Array)).toEqual([128]);
    expect((await compareModels(src, file)).cosine).toBeGreaterThan(0.998);
  });

  it('int8 activations (S8S8) load and stay close to float', async () => {
    const src = await saveModel(convNet(), 'convnet-s8');
    const { file, model } = await quantize(src, { ...STATIC, activation_type: 'int8' });
    expect(model.graph!.initializer.find((t) => t.name === 'x_zero_point')!.data_type).toBe(3);
    expect((await compareModels(src, file)).cosine).toBeGreaterThan(0.998);
  });

  it('refuses int8 activations with uint8 weights, and percentile without method percentile', () => {
    expect(quantizePlugin.check!({ ...STATIC, activation_type: 'int8', weight_type: 'uint8' })).toEqual([expect.objectContaining({ pointer: '/weight_type' })]);
    expect(quantizePlugin.check!({ ...STATIC, calibration: { percentile: 99 } })).toEqual([expect.objectContaining({ pointer: '/calibration/percentile' })]);
    expect(quantizePlugin.check!({ ...STATIC, block_size: 32 })).toEqual([expect.objectContaining({ pointer: '/block_size' })]);
    expect(quantizePlugin.check!({ ...STATIC, calibration: { method: 'entropy', outputs: ['y'] } })).toEqual([expect.objectContaining({ pointer: '/calibration/outputs', hint: 'set method: auto, or remove outputs' })]);
    expect(quantizePlugin.check!({ ...STATIC, calibration: { method: 'auto', outputs: ['y'] } })).toEqual([]);
    expect(quantizePlugin.check!({ precision: 'int8', mode: 'dynamic', activation_type: 'uint8' })).toEqual([expect.objectContaining({ pointer: '/activation_type' })]);
  });

  it('keeps excluded op types and node globs in float, and ORT then leaves those Convs float', async () => {
    const src = await saveModel(convNet(), 'convnet-excl');
    const { file, metrics, out } = await quantize(src, { ...STATIC, exclude: { ops: ['Concat'], nodes: ['conv2', 'nothing*'] } });
    expect(metrics.quantized).toEqual({ Conv: 3, MaxPool: 1, Add: 1 });
    expect(metrics.excluded.map((d: { node: string }) => d.node).sort()).toEqual(['concat', 'conv2']);
    expect(out.warnings?.join('\n')).toMatch(/exclude.nodes 'nothing\*' matched no quantizable node/);
    // ORT would quantize a float Conv between DQ and Q itself (per tensor): the excluded one must stay Conv
    const fused = opCounts(await ortOptimized(file));
    expect(fused).toMatchObject({ QLinearConv: 3, Conv: 1, Concat: 1 });
    expect((await compareModels(src, file)).cosine).toBeGreaterThan(0.999);
  });

  it('format qoperator: the integer operators ORT makes of the QDQ model, with a note that only ORT runs them', async () => {
    const src = await saveModel(convNet(), 'convnet-qop');
    const { file, model, out } = await quantize(src, { ...STATIC, format: 'qoperator' });
    expect(opCounts(model)).toMatchObject({ QLinearConv: 4, 'com.microsoft.QLinearConcat': 1 });
    expect(opCounts(model).Conv).toBeUndefined();
    expect(out.warnings?.join('\n')).toMatch(/runs in ONNX Runtime only/);
    expect((await compareModels(src, file)).cosine).toBeGreaterThan(0.999);
  });
});

describe('quantize: static INT8 with the optimize step', () => {
  it('optimize after quantize (level extended): ORT writes the integer ops, outputs unchanged', async () => {
    const src = await saveModel(convNet(), 'convnet-then-opt');
    const { file } = await quantize(src);
    const out = await optimizePlugin.run(testContext(file), { level: 'extended' });
    const m = out.metrics as Record<string, any>;
    expect(m.nodes_after.by_op.QLinearConv).toBe(4);
    expect(Math.max(...Object.values(m.max_abs_diff as Record<string, number>))).toBeLessThan(1e-5);
  });

  it('quantize after optimize at level extended warns that ORT\'s fused ops stay float', async () => {
    const src = await saveModel(convNet(), 'opt-then-convnet');
    const optimized = await optimizePlugin.run(testContext(src), { level: 'extended' });
    const { out, metrics } = await quantize(optimized.files.model!);
    expect(out.warnings?.join('\n')).toMatch(/com\.microsoft Fused\* node\(s\) .* put quantize before optimize/);
    expect(metrics.quantized.Conv ?? 0).toBeLessThan(4);
  });
});
