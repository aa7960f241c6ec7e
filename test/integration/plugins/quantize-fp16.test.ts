// FP16 through the quantize plugin: outputs run in ORT against the float model, graph and type checks, real models.
import { afterAll, describe, expect, it } from 'vitest';
import { quantizePlugin } from '../../../plugins/quantize/index.js';
import type { QuantizeParams } from '../../../plugins/quantize/params.js';
import { DataType, readModel, walkGraphs } from '../../../src/onnx/index.js';
import { pythonOnnxAvailable, runPython } from '../../unit/onnx/python-onnx.js';
import { compareModels } from '../ort/compare-models.js';
import { HELLO_DEEPA, removeTestTmpDirs, SILERO, SILERO_PINS, testContext } from '../ort/step-context.js';
import { castPairs, castTargets, floatInitializers, mixedModel, typeMismatches } from './fp16-models.js';
import { matmulInIf, mlp, nodesOf, opCounts, saveModel, sharedAndConstantWeights } from './quantize-models.js';

afterAll(removeTestTmpDirs);

const FP16: QuantizeParams = { precision: 'fp16' };

async function convert(file: string, params: QuantizeParams = FP16, pins = {}) {
  const out = await quantizePlugin.run(testContext(file, { pins }), params);
  return { out, file: out.files.model!, model: await readModel(out.files.model!), metrics: out.metrics as Record<string, any>, warnings: out.warnings ?? [] };
}

const checker = (file: string): string => runPython('import onnx, sys; onnx.checker.check_model(sys.argv[1], full_check=True); print("ok")', [file]).trim();

describe('quantize: FP16', () => {
  it('converts every weight and op, keeps float32 IO through one Cast each way, and stays close to float', async () => {
    const src = await saveModel(mlp(), 'mlp');
    const { model, metrics, file, warnings } = await convert(src);
    expect(floatInitializers(model)).toEqual([]);
    expect(metrics.converted).toEqual({ MatMul: 2, Add: 1, Relu: 1 });
    expect(castTargets(model).sort()).toEqual([DataType.FLOAT, DataType.FLOAT16]);
    expect(model.graph!.input[0]!.type!.tensor_type!.elem_type).toBe(DataType.FLOAT);
    expect(model.graph!.output[0]!.type!.tensor_type!.elem_type).toBe(DataType.FLOAT);
    expect(metrics.size_after_bytes).toBeLessThan(0.55 * metrics.size_before_bytes);
    const cmp = await compareModels(src, file);
    expect(cmp.cosine).toBeGreaterThan(0.99999);
    expect(cmp.maxAbs).toBeLessThan(2e-3 * cmp.maxRef);
    expect(metrics.fidelity.y.snr_db).toBeGreaterThan(50);
    expect(warnings.join('\n')).toMatch(/target EP is cpu, which has no float16 kernels for compute ops: ONNX Runtime runs 4 of the 4 converted node\(s\) \(MatMul ×2/);
  });

  it('keep_io_types false: float16 inputs and outputs, no Cast at all', async () => {
    const src = await saveModel(mlp(), 'mlp-io');
    const { model, metrics } = await convert(src, { ...FP16, keep_io_types: false });
    expect(opCounts(model).Cast).toBeUndefined();
    expect(model.graph!.input[0]!.type!.tensor_type!.elem_type).toBe(DataType.FLOAT16);
    expect(model.graph!.output[0]!.type!.tensor_type!.elem_type).toBe(DataType.FLOAT16);
    // the plugin fed the same seeded values, rounded to float16, and compared the float16 outputs
    expect(metrics.fidelity.y.cosine_similarity).toBeGreaterThan(0.99999);
  });

  it('op_block_list: blocked ops run in float32 behind Casts; weights only they read stay float32, shared ones are copied', async () => {
    const src = await saveModel(mixedModel(), 'mixed');
    const { model, metrics, file, warnings } = await convert(src, { ...FP16, op_block_list: ['Sub'] });
    expect(metrics.kept_float32).toEqual([expect.objectContaining({ node: 'sub', reason: 'with.op_block_list lists it' })]);
    const sub = nodesOf(model, 'Sub')[0]!;
    const byOutput = new Map(model.graph!.node.flatMap((n) => n.output.map((o) => [o, n] as const)));
    expect(byOutput.get(sub.input[0]!)?.op_type).toBe('Cast');
    expect(sub.input[1]).toBe('c');
    // `c` is read by the blocked Sub only: it stays float32; every other weight is float16
    expect(floatInitializers(model)).toEqual(['c']);
    expect(castPairs(model)).toEqual([]);
    expect(typeMismatches(model)).toEqual([]);
    // 1e6 is clamped to 65504 and 1e-9 raised to 2^-24, each named in a warning
    expect(warnings.join('\n')).toMatch(/1 weight value\(s\) beyond float16's range were clamped to ±65504: 'big' \(1\)/);
    expect(warnings.join('\n')).toMatch(/1 non-zero weight value\(s\) below float16's smallest \(2\^-24\) were raised .*'big' \(1\)/);
    const cmp = await compareModels(src, file);
    expect(cmp.cosine).toBeGreaterThan(0.9999);
  });

  it('a weight read by a float16 node and by a blocked node is kept once in each precision', async () => {
    const src = await saveModel(mixedModel(), 'mixed-shared');
    const { model, metrics, file } = await convert(src, { ...FP16, op_block_list: ['Sub', 'Mul'], exclude: { nodes: ['mul2'] } });
    expect(metrics.initializers).toMatchObject({ copied: 0 });
    const again = await convert(src, { ...FP16, op_block_list: [], exclude: { nodes: ['mul2'] } });
    // g feeds `mul` (float16) and `mul2` (excluded by name): float32 g and a float16 copy
    expect(again.metrics.initializers).toMatchObject({ copied: 1 });
    expect(again.model.graph!.initializer.filter((t) => t.name?.startsWith('g')).map((t) => [t.name, t.data_type])).toEqual([['g', DataType.FLOAT], ['g_fp16', DataType.FLOAT16]]);
    expect(again.metrics.kept_float32).toEqual([expect.objectContaining({ node: 'mul2', reason: "its name matches exclude.nodes 'mul2'" })]);
    expect(castPairs(model)).toEqual([]);
    expect((await compareModels(src, file)).cosine).toBeGreaterThan(0.9999);
  });

  it('converts Constant-node weights and MatMuls inside If branches that read an outer weight', async () => {
    const shared = await convert(await saveModel(sharedAndConstantWeights(), 'shared'));
    expect(floatInitializers(shared.model)).toEqual([]);
    expect(nodesOf(shared.model, 'Constant')).toHaveLength(0);
    expect(shared.metrics.constants_hoisted).toBe(1);
    const src = await saveModel(matmulInIf(), 'if');
    const { model, file, metrics } = await convert(src);
    expect(metrics.converted).toMatchObject({ If: 1, MatMul: 2, Mul: 2 });
    expect(floatInitializers(model)).toEqual([]);
    // the branches compute in float16 and hand float16 to the If; one Cast back at the graph output
    for (const branch of model.graph!.node.find((n) => n.op_type === 'If')!.attribute) {
      expect(branch.g!.output[0]!.type?.tensor_type?.elem_type ?? DataType.FLOAT16).toBe(DataType.FLOAT16);
    }
    expect(castPairs(model)).toEqual([]);
    expect(typeMismatches(model)).toEqual([]);
    expect((await compareModels(src, file, {}, [1, 2, 3, 4, 5, 6])).cosine).toBeGreaterThan(0.99999);
  });

  it('Silero VAD (real: LSTMs inside If branches) converts whole, loads in ORT and tracks float closely', async () => {
    const { model, file, metrics } = await convert(SILERO, FP16, SILERO_PINS);
    expect(metrics.converted).toMatchObject({ If: 9, LSTM: 8, Conv: 36 });
    expect(metrics.kept_float32).toEqual([]);
    expect(floatInitializers(model).length).toBe(0);
    expect(metrics.size_after_bytes).toBeLessThan(0.52 * metrics.size_before_bytes);
    expect(castPairs(model)).toEqual([]);
    expect(typeMismatches(model)).toEqual([]);
    const cmp = await compareModels(SILERO, file, SILERO_PINS);
    expect(cmp.cosine).toBeGreaterThan(0.9999);
    expect(metrics.fidelity.output.max_abs_error).toBeLessThan(1e-3);
    let lstmInBranches = 0;
    for (const { graph, depth } of walkGraphs(model.graph!)) if (depth > 0) lstmInBranches += graph.node.filter((n) => n.op_type === 'LSTM').length;
    expect(lstmInBranches).toBe(8);
  });

  it('openWakeWord (real): same scores to 1e-3', async () => {
    const { file, model } = await convert(HELLO_DEEPA);
    expect(floatInitializers(model)).toEqual([]);
    const cmp = await compareModels(HELLO_DEEPA, file);
    expect(cmp.maxAbs).toBeLessThan(1e-3);
  });

  it('names the params that are not FP16 ones', () => {
    expect(quantizePlugin.check!({ precision: 'fp16', per_channel: true, block_size: 32 }).map((p) => p.pointer).sort()).toEqual(['/block_size', '/per_channel']);
    expect(quantizePlugin.check!({ precision: 'fp16', keep_io_types: false, op_block_list: ['Resize'] })).toEqual([]);
  });

  it.skipIf(!pythonOnnxAvailable())('writes models that onnx.checker (full_check, type-checked shape inference) accepts', async () => {
    const cases: Array<[ReturnType<typeof mlp>, QuantizeParams]> = [
      [mlp(), FP16], [mlp(), { ...FP16, keep_io_types: false }], [mixedModel(), { ...FP16, op_block_list: ['Sub'] }], [matmulInIf(), FP16],
    ];
    for (const [model, params] of cases) {
      const { file } = await convert(await saveModel(model, 'checked'), params);
      expect(checker(file)).toBe('ok');
    }
    expect(checker((await convert(SILERO, FP16, SILERO_PINS)).file)).toBe('ok');
  });
});
