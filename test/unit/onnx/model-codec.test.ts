// Every field of the schema survives encode → decode (newest fields included), and onnx 1.12 parses what we write.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AttributeType, DataType, decodeModelBytes, encodeModel, encodeTensor, makeAttribute, type ModelProto, type TypeProto,
} from '../../../src/onnx/index.js';
import { floatInfo, graph, node, weights } from './model-fixtures.js';
import { pythonOnnxAvailable, runPython, SKIP_PYTHON } from './python-onnx.js';

const meta = [{ key: 'k', value: 'v' }];
const seqOfMap: TypeProto = { sequence_type: { elem_type: { map_type: { key_type: DataType.INT64, value_type: { optional_type: { elem_type: { tensor_type: { elem_type: 1 } } } } } } } };

/** A model that sets every field of every message, including IR 10+ ones (overload, metadata on nodes, devices). */
function kitchenSink(): ModelProto {
  const body = graph({
    name: 'body', doc_string: 'inner', output: [{ name: 'o' }], node: [node('Identity', ['x'], ['o'])],
    initializer: [encodeTensor(BigInt64Array.of(-(2n ** 63n)), [1], { name: 'min' })], metadata_props: meta,
  });
  const everyAttribute = [
    makeAttribute('f', 1.5), makeAttribute('i', -(2n ** 63n)), makeAttribute('s', 'str'), makeAttribute('t', weights('tw', [2])),
    makeAttribute('g', body), makeAttribute('floats', { floats: [1, 2] }), makeAttribute('ints', { ints: [2n ** 63n - 1n, -1n] }),
    makeAttribute('strings', { strings: ['a', ''] }), makeAttribute('tensors', { tensors: [weights('t2', [1])] }),
    makeAttribute('graphs', { graphs: [body] }),
    { name: 'sparse', type: AttributeType.SPARSE_TENSOR, sparse_tensor: { dims: [10], values: weights('sv', [2]), indices: encodeTensor(BigInt64Array.of(1n, 7n), [2]) } },
    { name: 'sparse_list', type: AttributeType.SPARSE_TENSORS, sparse_tensors: [{ dims: [3] }] },
    { name: 'tp', type: AttributeType.TYPE_PROTO, tp: seqOfMap }, { name: 'tps', type: AttributeType.TYPE_PROTOS, type_protos: [seqOfMap] },
    { name: 'ref', ref_attr_name: 'outer', type: AttributeType.FLOAT, doc_string: 'refers' },
  ];
  const sink = node('Custom', ['x', ''], ['y'], {
    domain: 'com.example', overload: 'v2', doc_string: 'doc', attribute: everyAttribute, metadata_props: meta,
    device_configurations: [{
      configuration_id: 'c', pipeline_stage: 1,
      sharding_spec: [{
        tensor_name: 'x', device: [0, 1], index_to_device_group_map: [{ key: 0, value: [0, 1] }],
        sharded_dim: [{ axis: 0, simple_sharding: [{ dim_value: 4, num_shards: 2 }, { dim_param: 'N', num_shards: 2 }] }],
      }],
    }],
  });
  const typed = { dims: [2], data_type: DataType.FLOAT, name: 'typed', doc_string: 'd', float_data: [1, 2], metadata_props: meta, segment: { begin: 0, end: 2 } };
  const input = floatInfo('x', ['N', 3]);
  input.type!.tensor_type!.shape!.dim[0]!.denotation = 'DATA_BATCH';
  input.type!.denotation = 'TENSOR';
  input.doc_string = 'the input';
  input.metadata_props = meta;
  return {
    ir_version: 10, producer_name: 'p', producer_version: '1', domain: 'd', model_version: 3, doc_string: 'doc',
    opset_import: [{ domain: '', version: 21 }, { domain: 'com.example', version: 1 }], metadata_props: meta,
    configuration: [{ name: 'mesh', num_devices: 2, device: ['cpu0', 'cpu1'] }],
    graph: graph({
      name: 'main', doc_string: 'g', node: [sink], input: [input],
      output: [{ name: 'y', type: { sparse_tensor_type: { elem_type: 1, shape: { dim: [{ dim_value: 10 }] } } } }],
      value_info: [{ name: 'opaque', type: { opaque_type: { domain: 'd', name: 'n' } } }],
      initializer: [typed, { dims: [2], data_type: DataType.DOUBLE, double_data: [1, 2], name: 'dd' },
        { dims: [1], data_type: DataType.UINT64, uint64_data: [2n ** 64n - 1n], name: 'u' },
        { dims: [1], data_type: DataType.INT32, int32_data: [-5], name: 'i32' },
        { dims: [1], data_type: DataType.STRING, string_data: [new TextEncoder().encode('s')], name: 'str' },
        { dims: [1], data_type: DataType.FLOAT, name: 'ext', data_location: 1, external_data: [{ key: 'location', value: 'f.bin' }] }],
      sparse_initializer: [{ dims: [4], values: weights('sp', [1]), indices: encodeTensor(BigInt64Array.of(2n), [1]) }],
      quantization_annotation: [{ tensor_name: 'y', quant_parameter_tensor_names: [{ key: 'SCALE_TENSOR', value: 's' }] }],
      metadata_props: meta,
    }),
    training_info: [{ initialization: body, algorithm: body, initialization_binding: meta, update_binding: meta }],
    functions: [{
      name: 'F', domain: 'com.example', overload: 'o', input: ['a'], output: ['b'], attribute: ['alpha'],
      attribute_proto: [makeAttribute('beta', 2)], node: [node('Relu', ['a'], ['b'])], doc_string: 'fn',
      opset_import: [{ domain: '', version: 21 }], value_info: [floatInfo('a', [1])], metadata_props: meta,
    }],
  };
}

/** encodeModel refuses unloaded external data; the sink has such a reference, so encode through the message codec. */
import { encodeMessage } from '../../../src/onnx/index.js';
const encode = (m: ModelProto): Uint8Array => encodeMessage('ModelProto', m);

describe('model codec', () => {
  it('keeps every field of every message through encode → decode', () => {
    const model = kitchenSink();
    const back = decodeModelBytes(encode(model));
    expect(back).toEqual(model);
    expect(Buffer.from(encode(back)).equals(Buffer.from(encode(model)))).toBe(true);
  });

  it('keeps presence: a field set to its default value stays set, an absent one stays absent', () => {
    const m = { ...kitchenSink(), functions: [], training_info: [] };
    m.graph = graph({ node: [node('X', [], [], { attribute: [{ name: 'zero', type: AttributeType.FLOAT, f: 0 }] })], name: '' });
    const back = decodeModelBytes(encodeModel(m));
    expect(back.graph!.name).toBe('');
    expect(back.graph!.node[0]!.attribute[0]).toEqual({ name: 'zero', type: AttributeType.FLOAT, f: 0 });
    expect('doc_string' in back.graph!).toBe(false);
  });

  it.skipIf(!pythonOnnxAvailable())(`is parsed by onnx 1.12, whose re-serialization decodes to the same model ${pythonOnnxAvailable() ? '' : SKIP_PYTHON}`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edgeopt-sink-'));
    try {
      const file = path.join(dir, 'sink.onnx');
      writeFileSync(file, encode(kitchenSink()));
      // python keeps fields newer than onnx 1.12 as unknown fields and writes them back
      const out = runPython(
        'import onnx, sys; m = onnx.load(sys.argv[1], load_external_data=False); print(m.graph.node[0].attribute[1].i, m.functions[0].name); ' +
          'open(sys.argv[2], "wb").write(m.SerializeToString())',
        [file, path.join(dir, 'again.onnx')],
      );
      expect(out.trim()).toBe('-9223372036854775808 F');
      expect(decodeModelBytes(readFileSync(path.join(dir, 'again.onnx')))).toEqual(kitchenSink());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
