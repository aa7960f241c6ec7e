// The ONNX protobuf schema (onnx.proto, IR version 13 era) as a protobufjs JSON descriptor: field numbers are the spec's.
import protobuf from 'protobufjs';

/** [field name, protobuf type, field number, 'repeated' | 'packed' (repeated, packed encoding)] */
type FieldSpec = [string, string, number, ('repeated' | 'packed')?];

interface FieldJson {
  type: string;
  id: number;
  rule?: 'repeated';
  options?: { packed: boolean };
}

interface MessageJson {
  edition: 'proto2';
  fields: Record<string, FieldJson>;
  oneofs?: Record<string, { oneof: string[] }>;
  nested?: Record<string, MessageJson | { values: Record<string, number> }>;
}

function message(
  specs: FieldSpec[],
  extra: Pick<MessageJson, 'oneofs' | 'nested'> = {},
): MessageJson {
  const fields: Record<string, FieldJson> = {};
  for (const [name, type, id, rule] of specs) {
    const field: FieldJson = { type, id };
    if (rule) field.rule = 'repeated';
    // the spec marks only TensorProto's typed data fields packed; proto2 leaves every other repeated scalar expanded
    if (rule === 'packed') field.options = { packed: true };
    fields[name] = field;
  }
  // without an explicit edition, protobufjs' JSON loader resolves proto3 features (packed, implicit presence)
  return { edition: 'proto2', fields, ...extra };
}

const metadata = (id: number): FieldSpec => ['metadata_props', 'StringStringEntryProto', id, 'repeated'];

/** TensorProto.DataType values (onnx.proto), through the 2-bit integer types. */
export const DATA_TYPE_VALUES = {
  UNDEFINED: 0, FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9,
  FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13, COMPLEX64: 14, COMPLEX128: 15, BFLOAT16: 16,
  FLOAT8E4M3FN: 17, FLOAT8E4M3FNUZ: 18, FLOAT8E5M2: 19, FLOAT8E5M2FNUZ: 20, UINT4: 21, INT4: 22,
  FLOAT4E2M1: 23, FLOAT8E8M0: 24, UINT2: 25, INT2: 26,
} as const;

/** AttributeProto.AttributeType values. */
export const ATTRIBUTE_TYPE_VALUES = {
  UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8,
  TENSORS: 9, GRAPHS: 10, SPARSE_TENSOR: 11, SPARSE_TENSORS: 12, TYPE_PROTO: 13, TYPE_PROTOS: 14,
} as const;

/** SequenceProto.DataType and OptionalProto.DataType: what a container holds. */
const CONTAINER_ELEM_TYPES = { UNDEFINED: 0, TENSOR: 1, SPARSE_TENSOR: 2, SEQUENCE: 3, MAP: 4, OPTIONAL: 5 } as const;

const onnxPackage: Record<string, MessageJson | { values: Record<string, number> }> = {
  Version: {
    values: {
      _START_VERSION: 0, IR_VERSION_2017_10_10: 1, IR_VERSION_2017_10_30: 2, IR_VERSION_2017_11_3: 3,
      IR_VERSION_2019_1_22: 4, IR_VERSION_2019_3_18: 5, IR_VERSION_2019_9_19: 6, IR_VERSION_2020_5_8: 7,
      IR_VERSION_2021_7_30: 8, IR_VERSION_2023_5_5: 9, IR_VERSION_2024_3_25: 10, IR_VERSION_2025_05_12: 11,
      IR_VERSION_2025_08_26: 12, IR_VERSION_2025_11_06: 13, IR_VERSION: 14,
    },
  },
  OperatorStatus: { values: { EXPERIMENTAL: 0, STABLE: 1 } },
  AttributeProto: message(
    [
      ['name', 'string', 1], ['ref_attr_name', 'string', 21], ['doc_string', 'string', 13],
      ['type', 'AttributeType', 20], ['f', 'float', 2], ['i', 'int64', 3], ['s', 'bytes', 4],
      ['t', 'TensorProto', 5], ['g', 'GraphProto', 6], ['sparse_tensor', 'SparseTensorProto', 22],
      ['tp', 'TypeProto', 14], ['floats', 'float', 7, 'repeated'], ['ints', 'int64', 8, 'repeated'],
      ['strings', 'bytes', 9, 'repeated'], ['tensors', 'TensorProto', 10, 'repeated'],
      ['graphs', 'GraphProto', 11, 'repeated'], ['sparse_tensors', 'SparseTensorProto', 23, 'repeated'],
      ['type_protos', 'TypeProto', 15, 'repeated'],
    ],
    { nested: { AttributeType: { values: { ...ATTRIBUTE_TYPE_VALUES } } } },
  ),
  ValueInfoProto: message([
    ['name', 'string', 1], ['type', 'TypeProto', 2], ['doc_string', 'string', 3], metadata(4),
  ]),
  NodeProto: message([
    ['input', 'string', 1, 'repeated'], ['output', 'string', 2, 'repeated'], ['name', 'string', 3],
    ['op_type', 'string', 4], ['domain', 'string', 7], ['overload', 'string', 8],
    ['attribute', 'AttributeProto', 5, 'repeated'], ['doc_string', 'string', 6], metadata(9),
    ['device_configurations', 'NodeDeviceConfigurationProto', 10, 'repeated'],
  ]),
  IntIntListEntryProto: message([['key', 'int64', 1], ['value', 'int64', 2, 'repeated']]),
  NodeDeviceConfigurationProto: message([
    ['configuration_id', 'string', 1], ['sharding_spec', 'ShardingSpecProto', 2, 'repeated'],
    ['pipeline_stage', 'int32', 3],
  ]),
  ShardingSpecProto: message([
    ['tensor_name', 'string', 1], ['device', 'int64', 2, 'repeated'],
    ['index_to_device_group_map', 'IntIntListEntryProto', 3, 'repeated'],
    ['sharded_dim', 'ShardedDimProto', 4, 'repeated'],
  ]),
  ShardedDimProto: message([
    ['axis', 'int64', 1], ['simple_sharding', 'SimpleShardedDimProto', 2, 'repeated'],
  ]),
  SimpleShardedDimProto: message(
    [['dim_value', 'int64', 1], ['dim_param', 'string', 2], ['num_shards', 'int64', 3]],
    { oneofs: { dim: { oneof: ['dim_value', 'dim_param'] } } },
  ),
  TrainingInfoProto: message([
    ['initialization', 'GraphProto', 1], ['algorithm', 'GraphProto', 2],
    ['initialization_binding', 'StringStringEntryProto', 3, 'repeated'],
    ['update_binding', 'StringStringEntryProto', 4, 'repeated'],
  ]),
  ModelProto: message([
    ['ir_version', 'int64', 1], ['opset_import', 'OperatorSetIdProto', 8, 'repeated'],
    ['producer_name', 'string', 2], ['producer_version', 'string', 3], ['domain', 'string', 4],
    ['model_version', 'int64', 5], ['doc_string', 'string', 6], ['graph', 'GraphProto', 7], metadata(14),
    ['training_info', 'TrainingInfoProto', 20, 'repeated'], ['functions', 'FunctionProto', 25, 'repeated'],
    ['configuration', 'DeviceConfigurationProto', 26, 'repeated'],
  ]),
  DeviceConfigurationProto: message([
    ['name', 'string', 1], ['num_devices', 'int32', 2], ['device', 'string', 3, 'repeated'],
  ]),
  StringStringEntryProto: message([['key', 'string', 1], ['value', 'string', 2]]),
  TensorAnnotation: message([
    ['tensor_name', 'string', 1],
    ['quant_parameter_tensor_names', 'StringStringEntryProto', 2, 'repeated'],
  ]),
  GraphProto: message([
    ['node', 'NodeProto', 1, 'repeated'], ['name', 'string', 2], ['initializer', 'TensorProto', 5, 'repeated'],
    ['sparse_initializer', 'SparseTensorProto', 15, 'repeated'], ['doc_string', 'string', 10],
    ['input', 'ValueInfoProto', 11, 'repeated'], ['output', 'ValueInfoProto', 12, 'repeated'],
    ['value_info', 'ValueInfoProto', 13, 'repeated'],
    ['quantization_annotation', 'TensorAnnotation', 14, 'repeated'], metadata(16),
  ]),
  TensorProto: message(
    [
      ['dims', 'int64', 1, 'repeated'], ['data_type', 'int32', 2], ['segment', 'Segment', 3],
      ['float_data', 'float', 4, 'packed'], ['int32_data', 'int32', 5, 'packed'],
      ['string_data', 'bytes', 6, 'repeated'], ['int64_data', 'int64', 7, 'packed'], ['name', 'string', 8],
      ['doc_string', 'string', 12], ['raw_data', 'bytes', 9],
      ['external_data', 'StringStringEntryProto', 13, 'repeated'], ['data_location', 'DataLocation', 14],
      ['double_data', 'double', 10, 'packed'], ['uint64_data', 'uint64', 11, 'packed'], metadata(16),
    ],
    {
      nested: {
        DataType: { values: { ...DATA_TYPE_VALUES } },
        Segment: message([['begin', 'int64', 1], ['end', 'int64', 2]]),
        DataLocation: { values: { DEFAULT: 0, EXTERNAL: 1 } },
      },
    },
  ),
  SparseTensorProto: message([
    ['values', 'TensorProto', 1], ['indices', 'TensorProto', 2], ['dims', 'int64', 3, 'repeated'],
  ]),
  TensorShapeProto: message([['dim', 'Dimension', 1, 'repeated']], {
    nested: {
      Dimension: message(
        [['dim_value', 'int64', 1], ['dim_param', 'string', 2], ['denotation', 'string', 3]],
        { oneofs: { value: { oneof: ['dim_value', 'dim_param'] } } },
      ),
    },
  }),
  TypeProto: message(
    [
      ['tensor_type', 'Tensor', 1], ['sequence_type', 'Sequence', 4], ['map_type', 'Map', 5],
      ['optional_type', 'Optional', 9], ['sparse_tensor_type', 'SparseTensor', 8],
      ['opaque_type', 'Opaque', 7], ['denotation', 'string', 6],
    ],
    {
      oneofs: {
        value: {
          oneof: ['tensor_type', 'sequence_type', 'map_type', 'optional_type', 'sparse_tensor_type', 'opaque_type'],
        },
      },
      nested: {
        Tensor: message([['elem_type', 'int32', 1], ['shape', 'TensorShapeProto', 2]]),
        Sequence: message([['elem_type', 'TypeProto', 1]]),
        Map: message([['key_type', 'int32', 1], ['value_type', 'TypeProto', 2]]),
        Optional: message([['elem_type', 'TypeProto', 1]]),
        SparseTensor: message([['elem_type', 'int32', 1], ['shape', 'TensorShapeProto', 2]]),
        Opaque: message([['domain', 'string', 1], ['name', 'string', 2]]),
      },
    },
  ),
  OperatorSetIdProto: message([['domain', 'string', 1], ['version', 'int64', 2]]),
  FunctionProto: message([
    ['name', 'string', 1], ['input', 'string', 4, 'repeated'], ['output', 'string', 5, 'repeated'],
    ['attribute', 'string', 6, 'repeated'], ['attribute_proto', 'AttributeProto', 11, 'repeated'],
    ['node', 'NodeProto', 7, 'repeated'], ['doc_string', 'string', 8],
    ['opset_import', 'OperatorSetIdProto', 9, 'repeated'], ['domain', 'string', 10], ['overload', 'string', 13],
    ['value_info', 'ValueInfoProto', 12, 'repeated'], metadata(14),
  ]),
  // onnx-data.proto: the containers ONNX's test corpus uses for non-tensor inputs and outputs
  SequenceProto: message([
    ['name', 'string', 1], ['elem_type', 'int32', 2], ['tensor_values', 'TensorProto', 3, 'repeated'],
    ['sparse_tensor_values', 'SparseTensorProto', 4, 'repeated'],
    ['sequence_values', 'SequenceProto', 5, 'repeated'], ['map_values', 'MapProto', 6, 'repeated'],
    ['optional_values', 'OptionalProto', 7, 'repeated'],
  ], { nested: { DataType: { values: { ...CONTAINER_ELEM_TYPES } } } }),
  MapProto: message([
    ['name', 'string', 1], ['key_type', 'int32', 2], ['keys', 'int64', 3, 'repeated'],
    ['string_keys', 'bytes', 4, 'repeated'], ['values', 'SequenceProto', 5],
  ]),
  OptionalProto: message([
    ['name', 'string', 1], ['elem_type', 'int32', 2], ['tensor_value', 'TensorProto', 3],
    ['sparse_tensor_value', 'SparseTensorProto', 4], ['sequence_value', 'SequenceProto', 5],
    ['map_value', 'MapProto', 6], ['optional_value', 'OptionalProto', 7],
  ], { nested: { DataType: { values: { ...CONTAINER_ELEM_TYPES } } } }),
};

/** The descriptor itself, for tests that compare it with other sources of truth. */
export const ONNX_DESCRIPTOR = { nested: { onnx: { nested: onnxPackage } } } as const;

/** A fresh protobufjs Root holding package `onnx` (kept private to this module: other code may use protobufjs too). */
export const onnxRoot: protobuf.Root = protobuf.Root.fromJSON(ONNX_DESCRIPTOR as unknown as protobuf.INamespace);

/** Looks up one message type of the schema, e.g. `onnxType('ModelProto')`. */
export function onnxType(name: string): protobuf.Type {
  return onnxRoot.lookupType(`onnx.${name}`);
}
