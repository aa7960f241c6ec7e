// Our protobuf descriptor against the field numbers, types, labels and packing of onnx's own (python3-onnx) descriptors.
import { describe, expect, it } from 'vitest';
import type protobuf from 'protobufjs';
import { onnxRoot } from '../../../src/onnx/onnx-schema.js';
import { pythonOnnxAvailable, runPython, SKIP_PYTHON } from './python-onnx.js';

const DUMP = `
import json
import onnx.onnx_ml_pb2 as ml, onnx.onnx_data_pb2 as data
from google.protobuf.descriptor import FieldDescriptor as F
SCALARS = {F.TYPE_DOUBLE: 'double', F.TYPE_FLOAT: 'float', F.TYPE_INT64: 'int64', F.TYPE_UINT64: 'uint64',
           F.TYPE_INT32: 'int32', F.TYPE_BOOL: 'bool', F.TYPE_STRING: 'string', F.TYPE_BYTES: 'bytes', F.TYPE_UINT32: 'uint32'}
out = {'messages': {}, 'enums': {}}
def visit(message, prefix):
    name = prefix + message.name
    fields = {}
    for f in message.fields:
        t = SCALARS.get(f.type) or (f.message_type.name if f.message_type else f.enum_type.name)
        fields[f.name] = [f.number, t, f.label == F.LABEL_REPEATED, bool(f.GetOptions().packed)]
    out['messages'][name] = fields
    for e in message.enum_types:
        out['enums'][name + '.' + e.name] = {v.name: v.number for v in e.values}
    for nested in message.nested_types:
        visit(nested, name + '.')
for module in (ml, data):
    for message in module.DESCRIPTOR.message_types_by_name.values():
        visit(message, '')
    for e in module.DESCRIPTOR.enum_types_by_name.values():
        out['enums'][e.name] = {v.name: v.number for v in e.values}
print(json.dumps(out))
`;

interface Dump {
  messages: Record<string, Record<string, [number, string, boolean, boolean]>>;
  enums: Record<string, Record<string, number>>;
}

describe.skipIf(!pythonOnnxAvailable())(`ONNX descriptor vs onnx 1.12's own ${pythonOnnxAvailable() ? '' : SKIP_PYTHON}`, () => {
  const dump = pythonOnnxAvailable() ? (JSON.parse(runPython(DUMP)) as Dump) : { messages: {}, enums: {} };

  it('has every message and field onnx 1.12 knows, with the same number, type, label and packing', () => {
    const problems: string[] = [];
    expect(Object.keys(dump.messages).length).toBeGreaterThan(20);
    for (const [messageName, fields] of Object.entries(dump.messages)) {
      const type = onnxRoot.lookup(`onnx.${messageName}`) as protobuf.Type | null;
      if (!type || !('fields' in type)) {
        problems.push(`missing message ${messageName}`);
        continue;
      }
      for (const [fieldName, [id, fieldType, repeated, packed]] of Object.entries(fields)) {
        const ours = type.fields[fieldName];
        if (!ours) {
          problems.push(`${messageName}.${fieldName} missing`);
          continue;
        }
        const oursType = ours.resolvedType ? ours.resolvedType.name : ours.type;
        const actual = [ours.id, oursType, ours.repeated, ours.repeated && ours.packed && !ours.resolvedType];
        if (JSON.stringify(actual) !== JSON.stringify([id, fieldType, repeated, packed])) {
          problems.push(`${messageName}.${fieldName}: ours ${JSON.stringify(actual)}, onnx ${JSON.stringify([id, fieldType, repeated, packed])}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('has every enum value onnx 1.12 knows', () => {
    for (const [enumName, values] of Object.entries(dump.enums)) {
      const ours = onnxRoot.lookupEnum(`onnx.${enumName}`);
      for (const [name, value] of Object.entries(values)) {
        // Version.IR_VERSION names the newest IR version, which moves with each onnx release (8 in 1.12)
        if (enumName === 'Version' && name === 'IR_VERSION') continue;
        expect(ours.values[name], `${enumName}.${name}`).toBe(value);
      }
    }
  });
});
