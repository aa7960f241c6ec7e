// A tiny ONNX model (Y = Relu(X), X float[1,4], opset 13): probes whether an EP can create and run a session.
import { DataType } from '../onnx/model-types.js';
import { makeModel, makeNode, tensorValueInfo } from '../onnx/model-builder.js';
import { encodeModel } from '../onnx/model-write.js';

let bytes: Uint8Array | undefined;

/** The probe model's bytes. Input `X`, output `Y`. */
export function probeModelBytes(): Uint8Array {
  bytes ??= encodeModel(makeModel({
    name: 'edgeopt-ep-probe',
    nodes: [makeNode('Relu', ['X'], ['Y'], {}, 'relu')],
    inputs: [tensorValueInfo('X', DataType.FLOAT, [1, 4])],
    outputs: [tensorValueInfo('Y', DataType.FLOAT, [1, 4])],
  }));
  return bytes;
}
