// Tensor codecs: every element type from raw_data and from the typed fields, int4/int2 packing, int64 range, errors.
import { describe, expect, it } from 'vitest';
import {
  DataType, decodeTensor, decodeTensorProto, encodeTensor, encodeTensorProto, packBits, tensorRawBytes, unpackBits,
  type TensorProto,
} from '../../../src/onnx/index.js';
import { EdgeoptError } from '../../../src/errors.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const viaProtobuf = (t: TensorProto): TensorProto => decodeTensorProto(encodeTensorProto(t));

describe('int4 / uint4 / int2 packing', () => {
  it('puts the first element in the low nibble and sign-extends int4', () => {
    expect([...packBits([-8, -1, 0, 7, 3], 4, true)]).toEqual([0xf8, 0x70, 0x03]);
    expect([...unpackBits(bytes(0xf8, 0x70, 0x03), 5, 4, true)]).toEqual([-8, -1, 0, 7, 3]);
    expect([...unpackBits(bytes(0xf8, 0x70, 0x03), 5, 4, false)]).toEqual([8, 15, 0, 7, 3]);
    expect([...packBits([1, 2, 3, 0, 3], 2, false)]).toEqual([0b00111001, 0b11]);
    expect([...unpackBits(bytes(0b11100100), 4, 2, true)]).toEqual([0, 1, -2, -1]);
  });

  it('refuses values outside the type instead of wrapping them', () => {
    expect(() => packBits([8], 4, true, 'w')).toThrowError(/element 0 is 8, outside \[-8, 7\]/);
    expect(() => packBits([-1], 4, false)).toThrow(EdgeoptError);
    expect(() => packBits([0.5], 4, false)).toThrow(EdgeoptError);
  });

  it('encodes and decodes INT4/UINT4/INT2 tensors with odd element counts, also from int32_data', () => {
    const t = encodeTensor(Int8Array.of(-8, 7, -3), [3], { dataType: DataType.INT4, name: 'q' });
    expect([...t.raw_data!]).toEqual([0x78, 0x0d]);
    expect([...(decodeTensor(viaProtobuf(t)) as Int8Array)]).toEqual([-8, 7, -3]);
    const fromInt32 = { dims: [3], data_type: DataType.UINT4, int32_data: [0x21, 0x03] };
    expect([...(decodeTensor(fromInt32) as Uint8Array)]).toEqual([1, 2, 3]);
    const int2 = encodeTensor(Int8Array.of(-2, 1, 0, -1, 1), [5], { dataType: DataType.INT2 });
    expect([...(decodeTensor(int2) as Int8Array)]).toEqual([-2, 1, 0, -1, 1]);
  });
});

describe('int64 and uint64 keep their full range', () => {
  const extremes = [-(2n ** 63n), -1n, 0n, 2n ** 53n + 1n, 2n ** 63n - 1n];

  it('through raw_data and through int64_data, across a protobuf round trip', () => {
    const raw = viaProtobuf(encodeTensor(BigInt64Array.from(extremes), [5]));
    expect([...(decodeTensor(raw) as BigInt64Array)]).toEqual(extremes);
    const typed = viaProtobuf({ dims: [5], data_type: DataType.INT64, int64_data: extremes });
    expect(typed.int64_data).toEqual(extremes);
    expect([...(decodeTensor(typed) as BigInt64Array)]).toEqual(extremes);
  });

  it('uint64_data holds UINT64 and UINT32', () => {
    const big = [0n, 2n ** 64n - 1n, 2n ** 63n];
    const u64 = viaProtobuf({ dims: [3], data_type: DataType.UINT64, uint64_data: big });
    expect([...(decodeTensor(u64) as BigUint64Array)]).toEqual(big);
    const u32 = viaProtobuf({ dims: [2], data_type: DataType.UINT32, uint64_data: [4294967295n, 7n] });
    expect([...(decodeTensor(u32) as Uint32Array)]).toEqual([4294967295, 7]);
  });
});

describe('typed repeated fields', () => {
  it.each<[string, TensorProto, unknown[]]>([
    ['FLOAT in float_data', { dims: [2], data_type: DataType.FLOAT, float_data: [1.5, -2] }, [1.5, -2]],
    ['FLOAT16 bits in int32_data', { dims: [3], data_type: DataType.FLOAT16, int32_data: [0x3c00, 0xc000, 0x7c00] }, [1, -2, Infinity]],
    ['BFLOAT16 bits in int32_data', { dims: [1], data_type: DataType.BFLOAT16, int32_data: [0x3fc0] }, [1.5]],
    ['INT8 negatives in int32_data', { dims: [3], data_type: DataType.INT8, int32_data: [-128, -1, 127] }, [-128, -1, 127]],
    ['UINT16 in int32_data', { dims: [2], data_type: DataType.UINT16, int32_data: [65535, 1] }, [65535, 1]],
    ['INT16 in int32_data', { dims: [2], data_type: DataType.INT16, int32_data: [-32768, 5] }, [-32768, 5]],
    ['BOOL in int32_data', { dims: [3], data_type: DataType.BOOL, int32_data: [1, 0, 1] }, [1, 0, 1]],
    ['DOUBLE in double_data', { dims: [2], data_type: DataType.DOUBLE, double_data: [0.1, -1e300] }, [0.1, -1e300]],
    ['COMPLEX64 interleaved', { dims: [1], data_type: DataType.COMPLEX64, float_data: [1, 2] }, [1, 2]],
    ['FLOAT8E4M3FN codes in int32_data', { dims: [2], data_type: DataType.FLOAT8E4M3FN, int32_data: [0x38, 0x7e] }, [1, 448]],
  ])('%s', (_, tensor, expected) => {
    expect([...(decodeTensor(viaProtobuf(tensor)) as ArrayLike<unknown> & Iterable<unknown>)]).toEqual(expected);
  });

  it('STRING tensors decode as UTF-8 and encode into string_data', () => {
    const t = viaProtobuf(encodeTensor(['a', 'ünï', ''], [3]));
    expect(t.data_type).toBe(DataType.STRING);
    expect(decodeTensor(t)).toEqual(['a', 'ünï', '']);
  });
});

describe('raw_data', () => {
  it('round-trips every fixed-width array type', () => {
    const arrays = [
      Float32Array.of(1.25, -0), Float64Array.of(Math.PI), Int8Array.of(-5), Uint8Array.of(250), Int16Array.of(-300),
      Uint16Array.of(60000), Int32Array.of(-(2 ** 31)), Uint32Array.of(2 ** 32 - 1), BigUint64Array.of(2n ** 64n - 1n),
    ];
    for (const array of arrays) {
      const back = decodeTensor(viaProtobuf(encodeTensor(array, [array.length])));
      expect(back.constructor).toBe(array.constructor);
      expect([...(back as Iterable<unknown>)]).toEqual([...(array as Iterable<unknown>)]);
    }
  });

  it('FLOAT16 encode rounds to nearest even and decodes back; BOOL keeps bytes', () => {
    const t = encodeTensor(Float32Array.of(1 + 2 ** -11, 65520, 0.1), [3], { dataType: DataType.FLOAT16 });
    expect([...new Uint16Array(new Uint8Array(t.raw_data!).buffer)]).toEqual([0x3c00, 0x7c00, 0x2e66]);
    expect([...(decodeTensor(t) as Float32Array)]).toEqual([1, Infinity, 0.0999755859375]);
    expect([...(decodeTensor(encodeTensor(Uint8Array.of(1, 0), [2], { dataType: DataType.BOOL })) as Uint8Array)]).toEqual([1, 0]);
  });

  it('decodes unaligned raw_data (a view at an odd offset) and copies unless asked for a view', () => {
    const backing = new Uint8Array(9);
    backing.set(new Uint8Array(Float32Array.of(3.5, -1).buffer), 1);
    const t: TensorProto = { dims: [2], data_type: DataType.FLOAT, raw_data: backing.subarray(1) };
    expect([...(decodeTensor(t) as Float32Array)]).toEqual([3.5, -1]);
    const aligned: TensorProto = { dims: [2], data_type: DataType.FLOAT, raw_data: new Uint8Array(Float32Array.of(1, 2).buffer) };
    const view = decodeTensor(aligned, { copy: false }) as Float32Array;
    const copy = decodeTensor(aligned) as Float32Array;
    view[0] = 9;
    expect(copy[0]).toBe(1);
    expect(new Float32Array(aligned.raw_data!.buffer)[0]).toBe(9);
  });

  it('treats a scalar (dims []) as one element and an empty dim as zero', () => {
    expect([...(decodeTensor({ dims: [], data_type: DataType.INT32, raw_data: bytes(7, 0, 0, 0) }) as Int32Array)]).toEqual([7]);
    expect((decodeTensor({ dims: [0, 3], data_type: DataType.FLOAT }) as Float32Array).length).toBe(0);
  });
});

describe('errors name the tensor and say what was expected', () => {
  it('byte count that does not match type × dims is E_MODEL_CORRUPT', () => {
    const t: TensorProto = { name: 'w', dims: [2, 2], data_type: DataType.FLOAT, raw_data: new Uint8Array(12) };
    expect(() => decodeTensor(t)).toThrowError(/Tensor 'w': it holds 12 bytes .* needs 16/);
    expect(() => tensorRawBytes(t)).toThrowError(expect.objectContaining({ code: 'E_MODEL_CORRUPT', kind: 'step', hint: expect.any(String) }));
  });

  it('unloaded external data, segments and impossible encodings are reported, not guessed', () => {
    const external: TensorProto = { name: 'e', dims: [1], data_type: DataType.FLOAT, data_location: 1, external_data: [{ key: 'location', value: 'x' }] };
    expect(() => decodeTensor(external)).toThrowError(expect.objectContaining({ code: 'E_MODEL_EXTERNAL_DATA' }));
    expect(() => decodeTensor({ name: 's', dims: [1], data_type: DataType.FLOAT, segment: { begin: 0, end: 1 } }))
      .toThrowError(expect.objectContaining({ code: 'E_MODEL_UNSUPPORTED' }));
    expect(() => encodeTensor(Int32Array.of(1), [1], { dataType: DataType.FLOAT16 })).toThrowError(expect.objectContaining({ code: 'E_TENSOR_VALUE' }));
    expect(() => encodeTensor(Float32Array.of(1, 2, 3), [2, 2])).toThrowError(/3 values do not fill dims \[2, 2\]/);
  });
});
