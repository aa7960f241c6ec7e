// INT4 weight-only through the quantize plugin: MatMulNBits graphs run in ORT against the float model; RTN bounds,
// layout checked against a float model holding the dequantized weights, GPTQ against RTN on the same data.
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { dequantizeBlockwise, type PackedWeight } from '../../../plugins/quantize/int4/blockwise.js';
import { quantizePlugin } from '../../../plugins/quantize/index.js';
import type { QuantizeParams } from '../../../plugins/quantize/params.js';
import type { ResolvedDataset } from '../../../src/api.js';
import { attrInt, decodeTensor, encodeTensor, readModel, type ModelProto, type TensorProto } from '../../../src/onnx/index.js';
import { pythonOnnxAvailable, runPython } from '../../unit/onnx/python-onnx.js';
import { compareModels } from '../ort/compare-models.js';
import { removeTestTmpDirs, testContext, testTmpDir } from '../ort/step-context.js';
import { matmulInIf, mlp, nodesOf, opCounts, saveModel, sharedAndConstantWeights } from './quantize-models.js';
import { BLOCK, blockInputs, transformerBlock, writeBlockCalibration } from './transformer-block.js';

afterAll(removeTestTmpDirs);

const INT4: QuantizeParams = { precision: 'int4' };

async function quantize(file: string, params: QuantizeParams = INT4, calibration?: string | ResolvedDataset) {
  const ctx = testContext(file);
  if (calibration) ctx.data.calibration = typeof calibration === 'string' ? { source: calibration, samples: 32 } : calibration;
  const out = await quantizePlugin.run(ctx, params);
  return { out, file: out.files.model!, model: await readModel(out.files.model!), metrics: out.metrics as Record<string, any>, warnings: out.warnings ?? [] };
}

/** The packed weight a MatMulNBits node reads, rebuilt from the model's initializers. */
function packedOf(model: ModelProto, weight: string): PackedWeight {
  const byName = new Map<string, TensorProto>();
  for (const g of [model.graph!]) for (const t of g.initializer) byName.set(t.name ?? '', t);
  const node = nodesOf(model, 'MatMulNBits').find((n) => n.input[1] === `${weight}_Q4`)!;
  const [k, n, blockSize] = ['K', 'N', 'block_size'].map((a) => attrInt(node, a)!) as [number, number, number];
  const data = byName.get(node.input[1]!)!;
  const zp = node.input[3] ? byName.get(node.input[3])! : undefined;
  return {
    k, n, blockSize, blocks: data.dims[1]!, data: decodeTensor(data) as Uint8Array,
    scales: decodeTensor(byName.get(node.input[2]!)!) as Float32Array, ...(zp ? { zeroPoints: decodeTensor(zp) as Uint8Array } : {}),
  };
}

/** Output SNR (dB) and MSE of `candidate` against `reference` on held-out block inputs (the calibration distribution). */
async function blockError(reference: string, candidate: string): Promise<{ snr: number; mse: number }> {
  const [ref, cand] = [await ort.InferenceSession.create(reference), await ort.InferenceSession.create(candidate)];
  const samples = 8;
  const data = blockInputs(samples, 999);
  const size = BLOCK.tokens * BLOCK.dModel;
  let err = 0;
  let power = 0;
  for (let s = 0; s < samples; s++) {
    const x = new ort.Tensor('float32', data.slice(s * size, (s + 1) * size), [1, BLOCK.tokens, BLOCK.dModel]);
    const a = (await ref.run({ x })).y!.data as Float32Array;
    const b = (await cand.run({ x })).y!.data as Float32Array;
    for (let i = 0; i < a.length; i++) {
      err += (a[i]! - b[i]!) ** 2;
      power += a[i]! ** 2;
    }
  }
  await ref.release();
  await cand.release();
  return { snr: 10 * Math.log10(power / err), mse: err / (samples * size) };
}

describe('quantize: INT4 (MatMulNBits)', () => {
  const block = saveModel(transformerBlock(), 'block');

  it('RTN on a transformer block: six projections to MatMulNBits, weights within half a step, a sixth of the size', async () => {
    const src = await block;
    const { model, metrics, file, warnings } = await quantize(src);
    expect(opCounts(model)).toMatchObject({ 'com.microsoft.MatMulNBits': 6, MatMul: 2 });
    expect(model.opset_import).toContainEqual({ domain: 'com.microsoft', version: 1 });
    expect(metrics.skipped.map((s: { node: string }) => s.node).sort()).toEqual(['attn/context/MatMul', 'attn/scores/MatMul']);
    expect(warnings.join('\n')).toMatch(/MatMul 'attn\/scores\/MatMul' \(its weight 'kt' is computed at run time/);
    expect(metrics.size_after_bytes / metrics.size_before_bytes).toBeLessThan(0.17);
    const float = await readModel(src);
    for (const name of ['Wq', 'Wo', 'W1', 'W2']) {
      const packed = packedOf(model, name);
      const w = decodeTensor(float.graph!.initializer.find((t) => t.name === name)!) as Float32Array;
      const d = dequantizeBlockwise(packed);
      let worst = 0;
      for (let i = 0; i < w.length; i++) {
        const s = Math.abs(packed.scales[(i % packed.n) * packed.blocks + Math.floor(i / packed.n / packed.blockSize)]!);
        worst = Math.max(worst, Math.abs(d[i]! - w[i]!) / s);
      }
      expect(worst, name).toBeLessThanOrEqual(0.5 + 1e-5);
    }
    const { snr } = await blockError(src, file);
    expect(snr).toBeGreaterThan(14);
    expect(metrics.fidelity.y.cosine_similarity).toBeGreaterThan(0.97);
  });

  it('ORT computes exactly the float model that holds the dequantized weights (layout, scales, padding)', async () => {
    const src = await saveModel(mlp(40, 96, 24), 'mlp-pad');
    for (const params of [{ ...INT4, block_size: 32 as const }, { ...INT4, block_size: 16 as const, symmetric: false }]) {
      const { model, file } = await quantize(src, params);
      const dequantized = await readModel(src);
      for (const t of dequantized.graph!.initializer) {
        if (t.name === 'W1' || t.name === 'W2') Object.assign(t, encodeTensor(dequantizeBlockwise(packedOf(model, t.name)), t.dims, { name: t.name }));
      }
      const reference = await saveModel(dequantized, 'mlp-dequantized');
      const cmp = await compareModels(reference, file);
      expect(cmp.maxAbs).toBeLessThan(1e-4 * cmp.maxRef);
      // K = 40 is not a multiple of the block: padded blocks
      expect(packedOf(model, 'W1').blocks).toBe(Math.ceil(40 / params.block_size));
    }
  });

  it.each([
    ['block 16', { block_size: 16 }, 14], ['block 256, asymmetric', { block_size: 256, symmetric: false }, 12],
    ['accuracy_level 4 (int8 activations)', { accuracy_level: 4 }, 12],
  ] as Array<[string, Partial<QuantizeParams>, number]>)('%s: loads in ORT and stays close to float', async (_name, extra, minSnr) => {
    const src = await block;
    const { model, file } = await quantize(src, { ...INT4, ...extra });
    const node = nodesOf(model, 'MatMulNBits')[0]!;
    expect(attrInt(node, 'block_size')).toBe(extra.block_size ?? 32);
    expect(attrInt(node, 'accuracy_level')).toBe(extra.accuracy_level);
    expect(node.input.length).toBe(extra.symmetric === false ? 4 : 3);
    expect((await blockError(src, file)).snr).toBeGreaterThan(minSnr);
  });

  it('quantizes a shared weight once, a Constant-node weight, and MatMuls inside If branches reading an outer weight', async () => {
    const shared = await quantize(await saveModel(sharedAndConstantWeights(), 'shared'), { ...INT4, block_size: 16 });
    expect(shared.metrics.quantized).toEqual({ MatMul: 3 });
    expect(shared.metrics.weights).toMatchObject({ tensors: 2, reused: 1 });
    expect(nodesOf(shared.model, 'Constant')).toHaveLength(0);
    const src = await saveModel(matmulInIf(), 'if');
    const { model, file } = await quantize(src);
    expect(nodesOf(model, 'MatMulNBits')).toHaveLength(2);
    expect(model.graph!.initializer.filter((t) => t.name?.startsWith('W_Q4'))).toHaveLength(1);
    expect((await compareModels(src, file, {}, [1, 2, 3, 4, 5, 6])).cosine).toBeGreaterThan(0.99);
  });

  it('GPTQ on calibration data beats RTN on held-out data from the same distribution', async () => {
    const src = await block;
    const calibration = await writeBlockCalibration(testTmpDir(), 32, 1);
    expect(quantizePlugin.dataInputs instanceof Function && quantizePlugin.dataInputs({ ...INT4, algorithm: 'gptq' })).toEqual(['calibration']);
    const gptq = await quantize(src, { ...INT4, algorithm: 'gptq' }, calibration);
    expect(gptq.metrics.gptq).toMatchObject({ samples: 32, activation_rows: 32 * BLOCK.tokens, weights: 6 });
    const rtn = await quantize(src);
    const [withGptq, withRtn] = [await blockError(src, gptq.file), await blockError(src, rtn.file)];
    console.info(`int4 block 32: RTN ${withRtn.snr.toFixed(1)} dB, GPTQ ${withGptq.snr.toFixed(1)} dB (output SNR on held-out inputs)`);
    expect(withGptq.mse).toBeLessThan(0.5 * withRtn.mse);
  });

  it('GPTQ leaves MatMuls inside If branches to RTN, saying so', async () => {
    const src = await saveModel(matmulInIf(), 'if-gptq');
    const { model, warnings, metrics } = await quantize(src, { ...INT4, algorithm: 'gptq' }, { samples: 4, seed: 3 });
    expect(nodesOf(model, 'MatMulNBits')).toHaveLength(2);
    expect(metrics.gptq).toMatchObject({ weights: 0 });
    expect(warnings.join('\n')).toMatch(/2 MatMul\(s\) inside If\/Loop\/Scan bodies were quantized by RTN/);
  });

  it('GPTQ without calibration data is a recipe error; int8 params are named', async () => {
    const src = await saveModel(mlp(), 'mlp-nocal');
    await expect(quantize(src, { ...INT4, algorithm: 'gptq' })).rejects.toMatchObject({ code: 'E_QUANTIZE_NO_CALIBRATION' });
    expect(quantizePlugin.check!({ ...INT4, per_channel: true, keep_io_types: true }).map((p) => p.pointer).sort()).toEqual(['/keep_io_types', '/per_channel']);
    expect(quantizePlugin.check!({ ...INT4, algorithm: 'gptq', calibration: { samples: 8 } })).toEqual([]);
    expect(quantizePlugin.check!({ ...INT4, calibration: { samples: 8 } }).map((p) => p.pointer)).toEqual(['/calibration']);
  });

  it.skipIf(!pythonOnnxAvailable())('writes models that onnx.checker accepts (it skips com.microsoft ops and checks the rest)', async () => {
    for (const model of [mlp(40, 96, 24), matmulInIf()]) {
      const { file } = await quantize(await saveModel(model, 'checked'));
      expect(runPython('import onnx, sys; onnx.checker.check_model(sys.argv[1], full_check=True); print("ok")', [file]).trim()).toBe('ok');
    }
  });
});

