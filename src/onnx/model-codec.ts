// Bytes ⇄ decoded messages: protobuf decoding with corruption checks, and in-memory encoding of any ONNX message.
import type protobuf from 'protobufjs';
import { onnxType } from './onnx-schema.js';
import { fromWire, toWire } from './wire-convert.js';
import { IN_MEMORY, modelCorrupt } from './model-errors.js';
import type { ModelProto, TensorProto } from './model-types.js';

/** Messages this module can decode and encode on their own (model files, tensor .pb files, test-data containers). */
export type OnnxMessageName =
  | 'ModelProto' | 'GraphProto' | 'NodeProto' | 'TensorProto' | 'SparseTensorProto' | 'ValueInfoProto'
  | 'TypeProto' | 'AttributeProto' | 'FunctionProto' | 'SequenceProto' | 'MapProto' | 'OptionalProto';

function decodeRaw(type: protobuf.Type, bytes: Uint8Array, file: string): Record<string, unknown> {
  try {
    // protobufjs slices bytes fields with Buffer#slice/subarray: raw_data stays a view into `bytes`
    return type.decode(bytes) as unknown as Record<string, unknown>;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw modelCorrupt(file, `protobuf decoding of ${type.name} failed (${reason})`, cause);
  }
}

/** Decodes one ONNX message from bytes. Throws E_MODEL_CORRUPT when the bytes are not that message. */
export function decodeMessage<T>(name: OnnxMessageName, bytes: Uint8Array, file = IN_MEMORY): T {
  const type = onnxType(name);
  const raw = decodeRaw(type, bytes, file);
  try {
    return fromWire<T>(type, raw);
  } catch (cause) {
    throw modelCorrupt(file, cause instanceof Error ? cause.message : String(cause), cause);
  }
}

/** Encodes one ONNX message into a fresh buffer (whole message in memory: use writeModel for big models). */
export function encodeMessage(name: OnnxMessageName, message: object): Uint8Array {
  const type = onnxType(name);
  return type.encode(toWire(type, message)).finish();
}

/**
 * Decodes a model file's bytes and checks that it is plausibly a model: a graph, an IR version and, from IR 3 on,
 * an opset import. Protobuf alone cannot tell a truncated file ending on a field boundary from a complete one.
 */
export function decodeModelBytes(bytes: Uint8Array, file = IN_MEMORY): ModelProto {
  if (bytes.length === 0) throw modelCorrupt(file, 'the file is empty');
  const model = decodeMessage<ModelProto>('ModelProto', bytes, file);
  if (!model.ir_version || model.ir_version < 1) {
    throw modelCorrupt(file, 'it has no ir_version (field 1 of ModelProto)');
  }
  if (!model.graph) throw modelCorrupt(file, 'it has no graph (field 7 of ModelProto)');
  if (model.ir_version >= 3 && model.opset_import.length === 0) {
    throw modelCorrupt(file, `it declares IR version ${model.ir_version} but imports no opset (field 8)`);
  }
  return model;
}

/** Decodes a serialized TensorProto, e.g. an input_0.pb of ONNX's test data. */
export function decodeTensorProto(bytes: Uint8Array, file = IN_MEMORY): TensorProto {
  return decodeMessage<TensorProto>('TensorProto', bytes, file);
}

/** Serializes a TensorProto (raw bytes are copied once into the result). */
export function encodeTensorProto(tensor: TensorProto): Uint8Array {
  return encodeMessage('TensorProto', tensor);
}
