// Dynamic INT8 through the quantize plugin: every output runs in ORT and is compared with the float model on seeded data.
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { quantizePlugin } from '../../../plugins/quantize/index.js';
import { verifyQuantized } from '../../../plugins/quantize/verify-output.js';
import { PARAM_KEYS, type QuantizeParams } from '../../../plugins/quantize/params.js';
import { openSession, readModel } from '../../../src/api.js';
import { DataType, decodeTensor, encodeTensor } from '../../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { pythonOnnxAvailable, runPython } from '../../unit/onnx/python-onnx.js';
import { compareModels } from '../ort/compare-models.js';
import { HELLO_DEEPA, removeTestTmpDirs, SILERO, SILERO_PINS, testContext, testTmpDir } from '../ort/step-context.js';
import {
  conv, gemm, matmulInIf, mlp, nodesOf, opCounts, opCountsOf, randomWeight, saveModel, sharedAndConstantWeights,
} from './quantize-models.js';

afterAll(removeTestTmpDirs);

const DYNAMIC: QuantizeParams = { precision: 'int8', mode: 'dynamic' };

async function quantize(file: string, params: QuantizeParams = DYNAMIC, pins = {}) {
  const out = await quantizePlugin.run(testContext(file, { pins }), params);
  return { out, file: out.files.model!, model: await readModel(out.files.model!), metrics: out.metrics as Record<string, any> };
}

/** The op types ORT's own optimizer (extended) turns the quantized model into. */
async function ortOptimizedOps(file: string): Promise<Record<string, number>> {
  const optimized = path.join(testTmpDir(), 'ort-optimized.onnx');
  const s = await openSession(file, { ep: ['cpu'], sessionOptions: { graphOptimizationLevel: 'extended', optimizedModelFilePath: optimized } });
  await s.session.release();
  return opCountsOf(optimized);
}

describe('quantize: params', () => {
  const validate = new Ajv2020({ strict: true, allErrors: true }).compile(quantizePlugin.params);

  it('has a strict schema whose keys are exactly the params type', () => {
    expect(validate({ precision: 'int8', mode: 'dynamic', per_channel: false, exclude: { nodes: ['*attn*'] } })).toBe(true);
    expect(validate({ precision: 'int3' })).toBe(false);
    expect(validate({ precision: 'int8', per_chanel: true })).toBe(false);
    expect(Object.keys((quantizePlugin.params as { properties: object }).properties).sort()).toEqual(Object.keys(PARAM_KEYS).sort());
  });

  it('names the param a recipe cannot use with this mode', () => {
    const problems = quantizePlugin.check!({ precision: 'int8', mode: 'dynamic', format: 'qdq', block_size: 32 });
    expect(problems.map((p) => p.pointer).sort()).toEqual(['/block_size', '/format']);
    expect(quantizePlugin.check!({ precision: 'fp16', error_budget: { metric: 'cosine', min: 0.99 } })).toEqual([
      expect.objectContaining({ pointer: '/error_budget', message: expect.stringMatching(/error_budget applies to precision int8 with mode static \(mixed precision\)/) }),
    ]);
    expect(quantizePlugin.check!({ precision: 'int8', op_types: ['MatMul', 'Softmax'] })).toEqual([
      expect.objectContaining({ pointer: '/op_types/1', message: expect.stringMatching(/Softmax is not quantized by dynamic INT8.*supported: Conv, Gemm, MatMul/) }),
    ]);
  });
});

describe('quantize: dynamic INT8', () => {
  it('rewrites MatMuls to MatMulInteger that ORT fuses into DynamicQuantizeMatMul, with outputs close to float', async () => {
    const src = await saveModel(mlp(), 'mlp');
    const { model, metrics, file, out } = await quantize(src);
    const ops = opCounts(model);
    expect(ops).toMatchObject({ MatMulInteger: 2, DynamicQuantizeLinear: 2 });
    expect(ops.MatMul).toBeUndefined();
    expect(metrics.quantized).toEqual({ MatMul: 2 });
    // the float weights are gone: int8 is a quarter of the bytes
    expect(model.graph!.initializer.find((t) => t.name === 'W1')).toBeUndefined();
    expect(metrics.size_after_bytes).toBeLessThan(0.35 * metrics.size_before_bytes);
    const cmp = await compareModels(src, file);
    expect(cmp.cosine).toBeGreaterThan(0.999);
    expect(cmp.maxAbs).toBeLessThan(0.03 * cmp.maxRef);
    // the plugin's own measurement agrees with ours
    expect(metrics.fidelity.y.cosine_similarity).toBeGreaterThan(0.999);
    expect(out.warnings).toBeUndefined();
    const fused = await ortOptimizedOps(file);
    // ORT folds quantize + integer matmul + scale (+ bias) into one kernel per MatMul
    expect(fused).toEqual({ 'com.microsoft.DynamicQuantizeMatMul': 2, Relu: 1 });
  });

  it('stores per-channel weights that dequantize to within half a step of the float weights', async () => {
    const src = await saveModel(mlp(), 'mlp-pc');
    const { model } = await quantize(src);
    const float = decodeTensor(randomWeight('W1', [64, 96], 1)) as Float32Array;
    const byName = new Map(model.graph!.initializer.map((t) => [t.name, t]));
    const q = decodeTensor(byName.get('W1_quantized')!) as Int8Array;
    const scales = decodeTensor(byName.get('W1_scale')!) as Float32Array;
    expect(scales).toHaveLength(96);
    let worst = 0;
    for (let i = 0; i < float.length; i++) {
      const s = scales[i % 96]!;
      worst = Math.max(worst, Math.abs(q[i]! * s - float[i]!) / s);
    }
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-6);
    // channel 3 has a 4× range: its scale is ~4× the others'
    expect(scales[3]! / scales[0]!).toBeGreaterThan(2.5);
  });

  it.each([
    ['per-tensor', { per_channel: false }],
    ['reduce_range', { reduce_range: true }],
    ['uint8 asymmetric weights', { weight_type: 'uint8' }],
    ['int8 asymmetric weights', { symmetric: false }],
  ] as Array<[string, Partial<QuantizeParams>]>)('%s: loads in ORT and stays close to float', async (_name, extra) => {
    const src = await saveModel(mlp(), 'mlp-variant');
    const { file, model } = await quantize(src, { ...DYNAMIC, ...extra });
    expect(opCounts(model).MatMulInteger).toBe(2);
    const cmp = await compareModels(src, file);
    // 7-bit weights and one scale per tensor are coarser: looser bounds, still far from random
    expect(cmp.cosine).toBeGreaterThan(extra.reduce_range || extra.per_channel === false ? 0.995 : 0.999);
  });

  it('Gemm with transB, alpha and beta: alpha folds into the scale, beta into C', async () => {
    const src = await saveModel(gemm(0.5, 2), 'gemm');
    const { file, model, metrics } = await quantize(src);
    expect(metrics.quantized).toEqual({ Gemm: 1 });
    expect(opCounts(model).Gemm).toBeUndefined();
    const cmp = await compareModels(src, file);
    expect(cmp.cosine).toBeGreaterThan(0.999);
    expect(cmp.maxAbs).toBeLessThan(0.03 * cmp.maxRef);
  });

  it('quantizes a shared weight once and a Constant-node weight like an initializer', async () => {
    const src = await saveModel(sharedAndConstantWeights(), 'shared');
    const { file, model, metrics } = await quantize(src);
    expect(metrics.quantized).toEqual({ MatMul: 3 });
    expect(metrics.weights).toMatchObject({ tensors: 2, reused: 1 });
    expect(nodesOf(model, 'Constant')).toHaveLength(0);
    expect((await compareModels(src, file)).cosine).toBeGreaterThan(0.999);
  });

  it('quantizes MatMuls inside If branches that read a weight of the outer graph', async () => {
    const src = await saveModel(matmulInIf(), 'if');
    const { file, model, metrics } = await quantize(src);
    expect(metrics.quantized).toEqual({ MatMul: 2 });
    expect(nodesOf(model, 'MatMulInteger')).toHaveLength(2);
    // the quantized weight lives once, in the outer graph where W was
    expect(model.graph!.initializer.filter((t) => t.name?.startsWith('W_quantized'))).toHaveLength(1);
    // seeds give both signs of sum(x): both branches are compared
    expect((await compareModels(src, file, {}, [1, 2, 3, 4, 5, 6])).cosine).toBeGreaterThan(0.999);
  });

  it('raises opset 10 to 11 (DynamicQuantizeLinear) and the result loads', async () => {
    const src = await saveModel(mlp(64, 96, 32, 10), 'mlp-opset10');
    const { file, model, out } = await quantize(src);
    expect(model.opset_import.find((o) => !o.domain)?.version).toBe(11);
    expect(out.warnings?.join('\n')).toMatch(/opset was raised from 10 to 11/);
    expect((await compareModels(src, file)).cosine).toBeGreaterThan(0.999);
  });

  it('keeps excluded nodes in float and says when a glob matched nothing', async () => {
    const src = await saveModel(mlp(), 'mlp-excl');
    const { model, metrics, out } = await quantize(src, { ...DYNAMIC, exclude: { nodes: ['fc2/*', 'nothing-*'] } });
    expect(metrics.quantized).toEqual({ MatMul: 1 });
    expect(nodesOf(model, 'MatMul').map((n) => n.name)).toEqual(['fc2/MatMul']);
    expect(metrics.excluded).toEqual([expect.objectContaining({ node: 'fc2/MatMul', reason: "its name matches exclude.nodes 'fc2/*'" })]);
    expect(out.warnings?.join('\n')).toMatch(/exclude.nodes 'nothing-\*' matched no quantizable node/);
  });

  it('skips a weight holding NaN with a warning naming the node, and never writes a broken model', async () => {
    const bad = encodeTensor(Float32Array.from({ length: 64 * 96 }, (_, i) => (i === 5 ? Number.NaN : 0.1)), [64, 96], { name: 'W1' });
    const m = mlp();
    m.graph!.initializer[0] = bad;
    const src = await saveModel(m, 'mlp-nan');
    const { model, metrics, out } = await quantize(src);
    expect(metrics.quantized).toEqual({ MatMul: 1 });
    expect(out.warnings?.join('\n')).toMatch(/MatMul 'fc1\/MatMul' \(its weight it holds NaN values\)/);
    expect(nodesOf(model, 'MatMul')).toHaveLength(1);
  });

  it('skips a MatMul whose weight is computed at run time', async () => {
    const m = makeModel({
      nodes: [makeNode('MatMul', ['x', 'w'], ['y'], {}, 'dyn')],
      inputs: [tensorValueInfo('x', DataType.FLOAT, [2, 3]), tensorValueInfo('w', DataType.FLOAT, [3, 4])],
      outputs: [tensorValueInfo('y', DataType.FLOAT, [2, 4])],
    });
    const { metrics, out } = await quantize(await saveModel(m, 'dyn-weight'));
    expect(metrics.quantized).toEqual({});
    expect(out.warnings?.join('\n')).toMatch(/no node was quantized/);
    expect(metrics.skipped[0]).toMatchObject({ node: 'dyn', reason: expect.stringMatching(/graph input/) });
  });

  it('Conv through ConvInteger when asked, with the CPU speed caveat', async () => {
    const src = await saveModel(conv(), 'conv');
    const { file, model, out } = await quantize(src, { ...DYNAMIC, op_types: ['Conv'] });
    expect(opCounts(model)).toMatchObject({ ConvInteger: 1 });
    expect(out.warnings?.join('\n')).toMatch(/ConvInteger\) usually run slower than float32 on CPU/);
    const cmp = await compareModels(src, file);
    expect(cmp.cosine).toBeGreaterThan(0.999);
  });

  it.each([
    ['uint8 weights', { weight_type: 'uint8' }],
    ['int8 asymmetric weights', { symmetric: false }],
  ] as Array<[string, Partial<QuantizeParams>]>)('Conv with %s per channel: one zero point, as ORT\'s ConvInteger needs, and said so', async (_name, extra) => {
    // ORT's ConvInteger refuses per-channel weight zero points when it runs ("Non per-tensor quantization is not
    // supported"): asymmetric per-channel weights would load, then fail on the first inference
    const src = await saveModel(conv(), 'conv-asym');
    const { file, model, out } = await quantize(src, { ...DYNAMIC, op_types: ['Conv'], ...extra });
    const zeroPoint = model.graph!.initializer.find((t) => t.name?.endsWith('_zero_point'));
    expect(zeroPoint?.dims).toEqual([]);
    expect(out.warnings?.join('\n')).toMatch(/1 Conv weight\(s\) quantized symmetric per channel although symmetric is false/);
    expect((await compareModels(src, file)).cosine).toBeGreaterThan(0.999);
  });

  it('a candidate ORT loads but cannot run is E_QUANTIZE_INVALID, not a raw kernel error', async () => {
    // per-channel weight zero points: ORT's ConvInteger accepts the graph, then fails on the first inference
    const zp = encodeTensor(Uint8Array.from([1, 2]), [2], { name: 'wz', dataType: DataType.UINT8 });
    const candidate = await saveModel(makeModel({
      nodes: [makeNode('ConvInteger', ['x', 'w', 'xz', 'wz'], ['yi']), makeNode('Cast', ['yi'], ['y'], { to: { int: DataType.FLOAT } })],
      inputs: [tensorValueInfo('x', DataType.UINT8, [1, 1, 4, 4])],
      outputs: [tensorValueInfo('y', DataType.FLOAT, [1, 2, 4, 4])],
      initializers: [
        encodeTensor(Uint8Array.from([3, 4]), [2, 1, 1, 1], { name: 'w', dataType: DataType.UINT8 }),
        encodeTensor(Uint8Array.from([0]), [], { name: 'xz', dataType: DataType.UINT8 }), zp,
      ],
    }), 'runs-not');
    // a float model with the same input that runs
    const reference = await saveModel(makeModel({
      nodes: [makeNode('Cast', ['x'], ['xf'], { to: { int: DataType.FLOAT } }), makeNode('Concat', ['xf', 'xf'], ['y'], { axis: { int: 1 } })],
      inputs: [tensorValueInfo('x', DataType.UINT8, [1, 1, 4, 4])],
      outputs: [tensorValueInfo('y', DataType.FLOAT, [1, 2, 4, 4])],
    }), 'runs');
    const err = await verifyQuantized(reference, candidate, {}, ['cpu']).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_QUANTIZE_INVALID', message: expect.stringMatching(/loads the quantized model but fails running it.*Non per-tensor quantization is not supported/) });
    expect((err as Error).message).not.toMatch(/\.cc:\d+/);
  });

  it('the openWakeWord classifier (real, Gemm ×3): a quarter of the size, same decisions', async () => {
    const { file, metrics } = await quantize(HELLO_DEEPA);
    expect(metrics.quantized).toEqual({ Gemm: 3 });
    expect(metrics.size_after_bytes / metrics.size_before_bytes).toBeLessThan(0.3);
    const cmp = await compareModels(HELLO_DEEPA, file);
    expect(cmp.cosine).toBeGreaterThan(0.9999);
    expect(cmp.maxAbs).toBeLessThan(0.01);
  });

  it('Silero VAD (real, no MatMul/Gemm outside LSTMs): passed on unchanged with a warning', async () => {
    const { metrics, out, file } = await quantize(SILERO, DYNAMIC, SILERO_PINS);
    expect(metrics.quantized).toEqual({});
    expect(out.warnings).toEqual([expect.stringMatching(/no node was quantized/)]);
    expect((await compareModels(SILERO, file, SILERO_PINS)).maxAbs).toBe(0);
  });

  it.skipIf(!pythonOnnxAvailable())('writes models that onnx.checker (full_check) accepts', async () => {
    for (const model of [mlp(64, 96, 32, 10), gemm(0.5, 2), matmulInIf(), conv()]) {
      const src = await saveModel(model, 'checked');
      const { file } = await quantize(src, { ...DYNAMIC, op_types: ['MatMul', 'Gemm', 'Conv'] });
      expect(runPython('import onnx, sys; onnx.checker.check_model(sys.argv[1], full_check=True); print("ok")', [file]).trim()).toBe('ok');
    }
  });
});
