// .npy reading and writing from hand-made bytes: header versions 1-3, big-endian data, truncation, unsupported layouts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNpyHeader, encodeNpyHeader } from '../../../src/data/npy-header.js';
import { decodeNpy, encodeNpy, readNpy, readNpyHeader, readNpyRows, writeNpy } from '../../../src/data/npy-io.js';
import type { NdArray } from '../../../src/data/npy-dtypes.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'edgeopt-npy-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A .npy file as numpy lays it out: magic, version, little-endian length (2 bytes for v1, 4 for v2/v3), dict, data. */
function npyBytes(dict: string, data: Uint8Array, version: 1 | 2 | 3 = 1, align = 64): Uint8Array {
  const fixed = version === 1 ? 10 : 12;
  const padded = Math.ceil((fixed + dict.length + 1) / align) * align;
  const text = new TextEncoder().encode(dict + ' '.repeat(padded - fixed - dict.length - 1) + '\n');
  const out = new Uint8Array(fixed + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(text, fixed);
  out.set(data, fixed + text.length);
  return out;
}

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const file = (name: string, bytes: Uint8Array): string => {
  const p = path.join(root, name);
  writeFileSync(p, bytes);
  return p;
};

describe('.npy header versions', () => {
  it.each([1, 2, 3] as const)('reads version %i.0', (version) => {
    const a = decodeNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", bytesOf(Float32Array.of(1, 2, 3, 4, 5, 6)), version));
    expect(a).toEqual({ dtype: 'float32', shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) });
  });

  it('reads the 16-byte alignment of older numpy, Python 2 longs, scalars and 1-d shapes', () => {
    expect(decodeNpy(npyBytes("{'descr': '<i2', 'fortran_order': False, 'shape': (2L, 1L), }", bytesOf(Int16Array.of(-3, 7)), 1, 16)).data).toEqual(Int16Array.of(-3, 7));
    expect(decodeNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", bytesOf(Float64Array.of(2.5)))).shape).toEqual([]);
    expect(decodeNpy(npyBytes("{'descr': '<u4', 'fortran_order': False, 'shape': (3,), }", bytesOf(Uint32Array.of(1, 2, 3)))).shape).toEqual([3]);
  });

  it('a version 3.0 header is UTF-8 (numpy uses it for non-latin-1 dicts)', () => {
    const h = parseNpyHeader(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'note': 'é€', }", bytesOf(Float32Array.of(1)), 3), 'x.npy');
    expect(h).toMatchObject({ version: 3, dtype: 'float32', shape: [1] });
  });

  it('writes version 1.0 with the data on a 64-byte boundary, and 2.0 when the dict outgrows 64 KiB', () => {
    const small = encodeNpyHeader('float32', [2, 3]);
    expect([small[6], small.length % 64]).toEqual([1, 0]);
    const huge = encodeNpyHeader('uint8', Array<number>(25_000).fill(1)); // "1, " × 25 000 > 65 535 bytes
    expect([huge[6], huge.length % 64]).toEqual([2, 0]);
    expect(parseNpyHeader(huge, 'huge.npy')).toMatchObject({ version: 2, shape: Array<number>(25_000).fill(1), dataOffset: huge.length });
  });
});

describe('.npy data', () => {
  it.each([
    ['float32', Float32Array.of(1.5, -2)], ['float64', Float64Array.of(Math.PI, -0)], ['int8', Int8Array.of(-128, 127)],
    ['uint8', Uint8Array.of(0, 255)], ['int16', Int16Array.of(-32768, 5)], ['uint16', Uint16Array.of(65535, 1)],
    ['int32', Int32Array.of(-(2 ** 31), 9)], ['uint32', Uint32Array.of(2 ** 32 - 1, 0)],
    ['int64', BigInt64Array.of(-(2n ** 63n), 3n)], ['uint64', BigUint64Array.of(2n ** 64n - 1n, 0n)],
    ['float16', Uint16Array.of(0x3c00, 0xc000)], ['bool', Uint8Array.of(1, 0)],
  ] as Array<[NdArray['dtype'], NdArray['data']]>)('%s round-trips through encodeNpy / decodeNpy', (dtype, data) => {
    expect(decodeNpy(encodeNpy({ dtype, shape: [2], data }))).toEqual({ dtype, shape: [2], data });
  });

  it('big-endian data is swapped: >f4, >i8 and >u2', () => {
    const be = (size: number, values: number[], set: (v: DataView, i: number, x: number) => void): Uint8Array => {
      const v = new DataView(new ArrayBuffer(size * values.length));
      values.forEach((x, i) => set(v, i * size, x));
      return new Uint8Array(v.buffer);
    };
    const f4 = npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (3,), }", be(4, [1.5, -2, 1e-3], (v, o, x) => v.setFloat32(o, x, false)));
    expect(decodeNpy(f4).data).toEqual(Float32Array.of(1.5, -2, 1e-3));
    const i8 = npyBytes("{'descr': '>i8', 'fortran_order': False, 'shape': (2,), }", be(8, [-5, 2 ** 40], (v, o, x) => v.setBigInt64(o, BigInt(x), false)));
    expect(decodeNpy(i8).data).toEqual(BigInt64Array.of(-5n, 2n ** 40n));
    const u2 = npyBytes("{'descr': '>u2', 'fortran_order': False, 'shape': (2, 2), }", be(2, [1, 256, 258, 65535], (v, o, x) => v.setUint16(o, x, false)));
    expect(decodeNpy(u2).data).toEqual(Uint16Array.of(1, 256, 258, 65535));
    expect(u2.subarray(u2.length - 8)).toEqual(be(2, [1, 256, 258, 65535], (v, o, x) => v.setUint16(o, x, false))); // the input is untouched
  });

  it('reads rows without reading the rest, swapping big-endian rows too', async () => {
    const data = new DataView(new ArrayBuffer(4 * 8));
    for (let i = 0; i < 8; i++) data.setInt32(i * 4, i * 10, false);
    const p = file('rows.npy', npyBytes("{'descr': '>i4', 'fortran_order': False, 'shape': (4, 2), }", new Uint8Array(data.buffer)));
    const header = await readNpyHeader(p);
    expect(await readNpyRows(p, header, 1, 2)).toEqual({ dtype: 'int32', shape: [2, 2], data: Int32Array.of(20, 30, 40, 50) });
    await expect(readNpyRows(p, header, 3, 2)).rejects.toThrow(RangeError);
  });

  it('copies data that starts at an odd offset instead of viewing it misaligned', () => {
    const bytes = encodeNpy({ dtype: 'float64', shape: [2], data: Float64Array.of(1, 2) });
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(decodeNpy(shifted.subarray(1)).data).toEqual(Float64Array.of(1, 2));
  });

  it('writeNpy is atomic and readNpy reads it back', async () => {
    const p = path.join(root, 'sub/w.npy');
    await writeNpy(p, { dtype: 'int16', shape: [1, 3], data: Int16Array.of(1, 2, 3) });
    expect(await readNpy(p)).toEqual({ dtype: 'int16', shape: [1, 3], data: Int16Array.of(1, 2, 3) });
    await expect(writeNpy(p, { dtype: 'int16', shape: [2, 3], data: Int16Array.of(1) })).rejects.toThrow(/needs 6 elements, the data has 1/);
  });
});

describe('.npy errors name the file and the problem', () => {
  // the dict is ~60 characters, so the header pads to 128 bytes: sizes below count from there
  const f4 = (shape: string, data: Uint8Array): Uint8Array => npyBytes(`{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`, data);

  it.each([
    ['truncated data', f4('(3, 2)', new Uint8Array(8)), /t\.npy: the file is truncated: shape \[3, 2\] of float32 needs 152 bytes, the file has 136/],
    ['a truncated header', f4('(1,)', new Uint8Array(4)).subarray(0, 30), /t\.npy: the header is truncated/],
    ['not a .npy at all', new TextEncoder().encode('hello, world'), /not a \.npy file \(the first bytes are not \\x93NUMPY\)/],
    ['format version 4', (() => { const b = f4('(1,)', new Uint8Array(4)); b[6] = 4; return b; })(), /\.npy format version 4\.0 is not supported/],
    ['Fortran order', npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new Uint8Array(16)), /Fortran \(column-major\) order/],
    ['a structured dtype', npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)), /structured \(record\) dtypes are not supported/],
    ['complex numbers', npyBytes("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)), /dtype '<c8' is not supported/],
    ['a negative dimension', f4('(-1, 2)', new Uint8Array(0)), /has a dimension "-1" that is not a size/],
  ])('%s', async (_name, bytes, message) => {
    expect(() => decodeNpy(bytes, 't.npy')).toThrow(expect.objectContaining({ code: 'E_NPY_FORMAT', message: expect.stringMatching(message) }));
    const p = file('t.npy', bytes);
    await expect(readNpy(p)).rejects.toMatchObject({ code: 'E_NPY_FORMAT' });
  });

  it('readNpyHeader notices a truncated file from its size alone', async () => {
    const p = file('short.npy', f4('(100,)', new Uint8Array(40)));
    await expect(readNpyHeader(p)).rejects.toMatchObject({ message: expect.stringMatching(/short\.npy: the file is truncated: shape \[100\] of float32 needs 528 bytes, the file has 168/) });
  });
});
