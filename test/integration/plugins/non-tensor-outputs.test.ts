// Models whose outputs are not all tensors (skl2onnx classifiers' ZipMap, optional outputs): onnxruntime-node cannot
// return those, and for an optional output it crashes the process; optimize and quantize compare the tensor outputs.
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { optimizePlugin } from '../../../plugins/optimize/index.js';
import { quantizePlugin } from '../../../plugins/quantize/index.js';
import { DataType, makeAttribute, type ValueInfoProto } from '../../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { removeTestTmpDirs, testContext } from '../ort/step-context.js';
import { saveModel } from './quantize-models.js';

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

  it.skipIf(!existsSync(IF_OPTIONAL))('an optional output (ONNX test_if_opt) does not crash the process', async () => {
    const out = await optimizePlugin.run(testContext(IF_OPTIONAL), { level: 'basic' });
    expect(out.warnings).toEqual([expect.stringMatching(/^outputs not compared: sequence is not a tensor/)]);
  });
});
