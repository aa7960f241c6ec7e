// `model.inputs` against the inputs the model file declares, at load time: each problem at its pin (or at `model:`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataType, encodeModel, encodeTensor } from '../../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../../src/onnx/model-builder.js';
import { MODEL, recipeErrors, tempProject, VAD_MODEL, type TempProject } from './fixtures.js';

/** x [batch, 4] · W [4, 2], with W also listed as a graph input (as IR < 4 exports list every weight). */
function weightAsInput(irVersion: number): Uint8Array {
  return encodeModel(makeModel({
    irVersion, opset: 9,
    nodes: [makeNode('MatMul', ['x', 'W'], ['y'])],
    inputs: [tensorValueInfo('x', DataType.FLOAT, ['batch', 4]), tensorValueInfo('W', DataType.FLOAT, [4, 2])],
    outputs: [tensorValueInfo('y', DataType.FLOAT, ['batch', 2])],
    initializers: [encodeTensor(new Float32Array(8), [4, 2], { name: 'W' })],
  }));
}

const TEXT_INPUT = encodeModel(makeModel({
  nodes: [makeNode('Identity', ['text'], ['same'])],
  inputs: [tensorValueInfo('text', DataType.STRING, [1])],
  outputs: [tensorValueInfo('same', DataType.STRING, [1])],
}));

let project: TempProject;
beforeAll(async () => {
  project = await tempProject({
    'vad.onnx': VAD_MODEL, 'm.onnx': MODEL, 'ir3.onnx': weightAsInput(3), 'ir8.onnx': weightAsInput(8), 'text.onnx': TEXT_INPUT,
    // pins written in a base recipe are placed there
    'base.yaml': 'model:\n  path: vad.onnx\n  inputs:\n    input: [1, 512, 1]\n',
  });
});
afterAll(() => project.cleanup());

const check = (text: string): ReturnType<typeof recipeErrors> => recipeErrors(project, text);
const VAD = 'name: r\nmodel:\n  path: vad.onnx\n  inputs:\n';

describe('model.inputs checked against the model file', () => {
  it.each([
    ['a pin naming no input, at its key', `${VAD}    input: [1, 512]\n    h: [2, 1, 64]\n`,
      ['r.yaml:6:5 E_PIN_UNKNOWN_INPUT'], /^model\.inputs\.h: the model has no input named "h"; its inputs are: input, sr$/, /pin one of: input, sr/],
    ['an unpinned dynamic dim, at `model:` (the bare path form is told where pins go)', 'name: r\nmodel: vad.onnx\n',
      ['r.yaml:2:1 E_DYNAMIC_DIM'], /^model input input \[batch, samples\] has dynamic dims that the recipe does not pin$/,
      /model\.inputs\.input: \[1, <samples>\]; write the model as \{ path: vad\.onnx, inputs: \{ … \} \}$/],
    ['a pin of the wrong rank, at its shape', `${VAD}    input: [1, 512, 1]\n`,
      ['r.yaml:5:12 E_PIN_SHAPE'], /has rank 3, but the model's input input has shape \[batch, samples\] \(rank 2\)/, /model\.inputs\.input: \[1, <samples>\]/],
    ['a pin changing a fixed dim, at that dim', 'name: r\nmodel:\n  path: m.onnx\n  inputs:\n    x: { shape: [1, 5] }\n',
      ['r.yaml:5:21 E_PIN_SHAPE'], /sets dim 1 to 5, but the model fixes it to 4 \(shape \[1, 4\]\)/, /only dynamic dims can be chosen/],
    ['a dtype the input does not have, at the dtype', `${VAD}    input: [1, 512]\n    sr: { shape: [], dtype: int32, value: 16000 }\n`,
      ['r.yaml:6:29 E_PIN_DTYPE'], /^model\.inputs\.sr: pinned dtype int32, but the model's input sr is int64$/, /set it to int64/],
    ['a value of the wrong length, at the value', `${VAD}    input: { shape: [1, 4], value: [1, 2, 3] }\n`,
      ['r.yaml:5:36 E_PIN_VALUE'], /value has 3 elements, shape \[1, 4\] needs 4/, /one value/],
    ['an input edgeopt cannot feed, at `model:`', 'name: r\nmodel: text.onnx\n',
      ['r.yaml:2:1 E_UNSUPPORTED_INPUT'], /^model input text is a string tensor: edgeopt cannot make data for it$/, /supported input types/],
    ['an IR 3 weight listed as an input is no input (ORT runs it as a constant)', 'name: r\nmodel:\n  path: ir3.onnx\n  inputs:\n    x: [1, 4]\n    W: [4, 2]\n',
      ['r.yaml:6:5 E_PIN_UNKNOWN_INPUT'], /its inputs are: x$/, /pin one of: x/],
    ['nor is an IR 8 one (a default that needs no data)', 'name: r\nmodel: ir8.onnx\n',
      ['r.yaml:2:1 E_DYNAMIC_DIM'], /^model input x \[batch, 4\] has dynamic dims/, /model\.inputs\.x: \[1, 4\]/],
    ['a pin written in an extended file, placed there', 'name: r\nextends: ./base.yaml\n',
      ['base.yaml:4:12 E_PIN_SHAPE'], /has rank 3/, undefined],
  ])('%s', async (_name, text, at, message, hint) => {
    const errors = await check(text);
    expect(errors.map((e) => e.at)).toEqual(at);
    expect(errors[0]!.message).toMatch(message);
    if (hint) expect(errors[0]!.hint).toMatch(hint);
  });

  it('every problem of a recipe at once, in the order of the file', async () => {
    const errors = await check(`${VAD}    input: [2, 512, 1]\n    sr: { shape: [], dtype: float32 }\n    state: [1]\n`);
    expect(errors.map((e) => e.at)).toEqual(['r.yaml:5:12 E_PIN_SHAPE', 'r.yaml:6:29 E_PIN_DTYPE', 'r.yaml:7:5 E_PIN_UNKNOWN_INPUT']);
  });

  it('pins that match load; so do IR 3 and IR 8 models whose weights are listed as inputs', async () => {
    for (const text of [`${VAD}    input: [1, 512]\n    sr: { shape: [], dtype: int64, value: 16000 }\n`, 'name: r\nmodel:\n  path: ir3.onnx\n  inputs: { x: [3, 4] }\n',
      'name: r\nmodel:\n  path: ir8.onnx\n  inputs: { x: [3, 4] }\n', 'name: r\nmodel: m.onnx\n']) {
      await expect(check(text)).rejects.toThrow(/expected EdgeoptErrors, but it resolved/);
    }
  });

  it('a model: that breaks the schema is the schema\'s error alone', async () => {
    const errors = await check(`${VAD}    input: [1, "many"]\n`);
    expect(errors.map((e) => e.at)).toEqual(['r.yaml:5:16 E_TYPE']);
  });
});
