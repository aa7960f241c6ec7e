// Models whose outputs are not all tensors (skl2onnx classifiers' ZipMap, sequences, optional outputs): onnxruntime-node
// cannot return those, and for an optional output it crashes the process; every step fetches the tensor outputs only.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { benchmarkPlugin } from '../../../plugins/benchmark/index.js';
import { evaluatePlugin } from '../../../plugins/evaluate/index.js';
import { optimizePlugin } from '../../../plugins/optimize/index.js';
import { quantizePlugin } from '../../../plugins/quantize/index.js';
import { DataType, makeAttribute, readModel, type ValueInfoProto } from '../../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { removeTestTmpDirs, testContext } from '../ort/step-context.js';
import { randomWeight, saveModel } from './quantize-models.js';

afterAll(removeTestTmpDirs);

/** What a scikit-learn classifier exported by skl2onnx ends with: probabilities as a tensor and as seq(map(int64, float)). */
function zipMapClassifier() {
  const probabilities: ValueInfoProto = {
    name: 'z', type: { sequence_type: { elem_type: { map_type: { key_type: DataType.INT64, value_type: { tensor_type: { elem_type: DataType.FLOAT } } } } } },
  };
  return makeModel({
    opset: 13, opsets: { 'ai.onnx.ml': 1 },
    nodes: [
      makeNode('Softmax', ['x'], ['p']),
      { ...makeNode('ZipMap', ['p'], ['z']), domain: 'ai.onnx.ml', attribute: [makeAttribute('classlabels_int64s', { ints: [0, 1, 2] })] },
    ],
    inputs: [tensorValueInfo('x', DataType.FLOAT, [1, 3])],
    outputs: [tensorValueInfo('p', DataType.FLOAT, [1, 3]), probabilities],
  });
}

/** y = Relu(x) as a tensor and as a sequence of two (SequenceConstruct): one output JavaScript can receive, one not. */
function sequenceOutputModel() {
  const seq: ValueInfoProto = { name: 's', type: { sequence_type: { elem_type: { tensor_type: { elem_type: DataType.FLOAT } } } } };
  return makeModel({
    opset: 13,
    nodes: [makeNode('Relu', ['x'], ['y']), makeNode('SequenceConstruct', ['y', 'y'], ['s'])],
    inputs: [tensorValueInfo('x', DataType.FLOAT, [1, 3])],
    outputs: [tensorValueInfo('y', DataType.FLOAT, [1, 3]), seq],
  });
}

/** y = Conv(x) as a tensor and as a sequence of two: static INT8 calibrates and measures with the tensor only. */
function convWithSequenceOutput() {
  const seq: ValueInfoProto = { name: 's', type: { sequence_type: { elem_type: { tensor_type: { elem_type: DataType.FLOAT } } } } };
  return makeModel({
    opset: 13,
    nodes: [makeNode('Conv', ['x', 'W'], ['c'], {}, 'conv'), makeNode('Relu', ['c'], ['y'], {}, 'relu'), makeNode('SequenceConstruct', ['y', 'y'], ['s'])],
    inputs: [tensorValueInfo('x', DataType.FLOAT, [1, 3, 6, 6])],
    outputs: [tensorValueInfo('y', DataType.FLOAT, [1, 4, 6, 6]), seq],
    initializers: [randomWeight('W', [4, 3, 3, 3], 5)],
  });
}

const QUICK_BENCH = { warmup: 1, runs: 5, min_time_ms: 0 };

/** An evaluation on seeded random data, with fidelity against a reference of other bytes (so both models run). */
function evalContext(model: string, reference: string): ReturnType<typeof testContext> {
  const ctx = testContext(model);
  ctx.data = { eval: { seed: 1, samples: 2 } };
  ctx.inputs.reference = { path: path.resolve(reference), hash: 'another-hash', size: 1 };
  return ctx;
}

const IF_OPTIONAL = '/usr/share/libonnx-testdata/data/node/test_if_opt/model.onnx';

describe('outputs that are not tensors', () => {
  it('a ZipMap classifier: optimize and quantize compare the tensor output and say which they could not', async () => {
    const src = await saveModel(zipMapClassifier(), 'zipmap');
    const optimized = await optimizePlugin.run(testContext(src), { level: 'extended' });
    expect(Object.keys((optimized.metrics as { max_abs_diff: object }).max_abs_diff)).toEqual(['p']);
    expect(optimized.warnings).toEqual([expect.stringMatching(/^output z not compared: not a tensor \(sequence, map or optional\)/)]);
    const quantized = await quantizePlugin.run(testContext(src), { precision: 'int8', mode: 'dynamic' });
    expect(Object.keys((quantized.metrics as { fidelity: object }).fidelity)).toEqual(['p']);
    expect(quantized.warnings?.join('\n')).toMatch(/output z not compared/);
  });

  it('a sequence output: static INT8 calibrates, measures its error budget and verifies on the tensor output', async () => {
    const src = await saveModel(convWithSequenceOutput(), 'conv-sequence');
    const ctx = testContext(src);
    ctx.data = { calibration: { samples: 4, seed: 2 } };
    // the calibration probe fetched every output and failed with 'Non tensor type is temporarily not supported'
    const out = await quantizePlugin.run(ctx, { precision: 'int8', mode: 'static', error_budget: { metric: 'cosine', min: 0.5, samples: 2 } });
    const m = out.metrics as Record<string, any>;
    expect(m.quantized.Conv).toBe(1);
    expect(m.mixed_precision).toMatchObject({ met: true, kept_count: 0 });
    expect(Object.keys(m.fidelity)).toEqual(['y']);
    expect(m.fidelity.y.cosine_similarity).toBeGreaterThan(0.99);
  });

  it('a sequence output: the benchmark fetches the tensor output and says which it did not; evaluate compares the tensor', async () => {
    const src = await saveModel(sequenceOutputModel(), 'sequence');
    const bench = await benchmarkPlugin.run(testContext(src), QUICK_BENCH);
    const m = bench.metrics as Record<string, any>;
    expect(m.runs).toBeGreaterThanOrEqual(5);
    expect(m.outputs_not_fetched).toEqual(['s']);
    expect(bench.warnings).toEqual([expect.stringMatching(/^output s not fetched: not a tensor .*; ONNX Runtime still computes it in every timed run$/)]);
    const evaluated = await evaluatePlugin.run(evalContext(src, await saveModel(sequenceOutputModel(), 'sequence-ref')), {});
    const e = evaluated.metrics as Record<string, any>;
    expect(e.reference.compared).toEqual(['y']);
    expect(e.fidelity).toMatchObject({ mse: 0, max_abs: 0 });
    expect(evaluated.warnings).toEqual([expect.stringMatching(/output "s" not compared \(.*not a tensor/)]);
  });

  // ONNX's backend corpus comes from the Debian package libonnx-testdata (.ci/run installs it): skipped without it
  it.skipIf(!existsSync(IF_OPTIONAL))('an optional output (ONNX test_if_opt, skipped without libonnx-testdata) crashes no step', async () => {
    const out = await optimizePlugin.run(testContext(IF_OPTIONAL), { level: 'basic' });
    expect(out.warnings).toEqual([expect.stringMatching(/^outputs not compared: sequence is not a tensor/)]);
    // its only output cannot be fetched: the benchmark child said nothing and died of SIGSEGV; now it says why
    await expect(benchmarkPlugin.run(testContext(IF_OPTIONAL), QUICK_BENCH)).rejects.toMatchObject({
      code: 'E_BENCH_NO_TENSOR_OUTPUT', message: expect.stringMatching(/none of its outputs \(sequence\) is a tensor/),
    });
    const evaluated = await evaluatePlugin.run(evalContext(IF_OPTIONAL, await saveModel(await readModel(IF_OPTIONAL), 'if-opt-ref')), {});
    expect((evaluated.metrics as Record<string, any>).reference.compared).toEqual([]);
  });
});
