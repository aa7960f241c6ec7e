// Reads and writes .npy arrays: whole files, or a range of rows along axis 0, viewing the bytes instead of copying them.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempNameFor } from '../cache/atomic-file.js';
import { EdgeoptError } from '../errors.js';
import { allocArray, elementCount, itemSize, swapBytes, viewOf, type NdArray } from './npy-dtypes.js';
import { encodeNpyHeader, headerLength, parseNpyHeader, type NpyHeader } from './npy-header.js';

// typed arrays read host order; every platform onnxruntime-node ships for is little-endian
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
if (!HOST_LITTLE_ENDIAN) throw new Error('edgeopt reads .npy data on little-endian hosts only');

function truncated(file: string, header: NpyHeader, size: number): EdgeoptError {
  return new EdgeoptError({
    code: 'E_NPY_FORMAT', kind: 'recipe',
    message: `${file}: the file is truncated: shape [${header.shape.join(', ')}] of ${header.dtype} needs ${header.dataOffset + header.dataBytes} bytes, the file has ${size}`,
  });
}

/**
 * The array in `bytes`. Little-endian data at an aligned offset is a view on `bytes` (no copy); big-endian or
 * unaligned data is copied once (`bytes` is never modified unless `owned`, when big-endian data is swapped in place).
 */
export function decodeNpy(bytes: Uint8Array, file = 'the .npy data', owned = false): NdArray {
  const header = parseNpyHeader(bytes, file);
  if (bytes.length < header.dataOffset + header.dataBytes) throw truncated(file, header, bytes.length);
  const size = itemSize(header.dtype);
  let data = bytes.subarray(header.dataOffset, header.dataOffset + header.dataBytes);
  if ((bytes.byteOffset + header.dataOffset) % size !== 0 || (header.bigEndian && !owned)) data = data.slice();
  if (header.bigEndian) swapBytes(data, size);
  return { dtype: header.dtype, shape: header.shape, data: viewOf(header.dtype, data.buffer, data.byteOffset, elementCount(header.shape)) };
}

/** Reads a whole .npy file (one read, no further copies for little-endian data). */
export async function readNpy(file: string): Promise<NdArray> {
  return decodeNpy(await fs.readFile(file), file, true);
}

/** Reads only the header of a .npy file and checks the file holds all the data it announces. */
export async function readNpyHeader(file: string): Promise<NpyHeader> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const start = new Uint8Array(12);
    await handle.read(start, 0, 12, 0);
    const { dataOffset } = headerLength(start.subarray(0, Math.min(12, size)), file);
    const bytes = new Uint8Array(dataOffset);
    await handle.read(bytes, 0, dataOffset, 0);
    const header = parseNpyHeader(bytes, file);
    if (size < header.dataOffset + header.dataBytes) throw truncated(file, header, size);
    return header;
  } finally {
    await handle.close();
  }
}

/** Rows [start, start + count) along axis 0, read straight into a fresh aligned buffer. */
export async function readNpyRows(file: string, header: NpyHeader, start: number, count: number): Promise<NdArray> {
  const [rows, ...rest] = header.shape;
  if (rows === undefined) throw new EdgeoptError({ code: 'E_NPY_FORMAT', kind: 'recipe', message: `${file}: a 0-d array has no rows (axis 0 = sample)` });
  if (start < 0 || count < 0 || start + count > rows) throw new RangeError(`rows ${start}..${start + count} of ${rows}`);
  const rowElements = elementCount(rest);
  const size = itemSize(header.dtype);
  const data = allocArray(header.dtype, count * rowElements);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const handle = await fs.open(file, 'r');
  try {
    let done = 0;
    while (done < bytes.length) {
      const { bytesRead } = await handle.read(bytes, done, bytes.length - done, header.dataOffset + start * rowElements * size + done);
      if (bytesRead === 0) throw truncated(file, header, header.dataOffset + start * rowElements * size + done);
      done += bytesRead;
    }
  } finally {
    await handle.close();
  }
  if (header.bigEndian) swapBytes(bytes, size);
  return { dtype: header.dtype, shape: [count, ...rest], data };
}

function dataBytes(array: NdArray): Uint8Array {
  const expected = elementCount(array.shape);
  if (array.data.length !== expected) {
    throw new RangeError(`shape [${array.shape.join(', ')}] needs ${expected} elements, the data has ${array.data.length}`);
  }
  return new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
}

/** The bytes of a .npy file (version 1.0 header unless it needs 2.0, little-endian, C order). */
export function encodeNpy(array: NdArray): Uint8Array {
  const header = encodeNpyHeader(array.dtype, array.shape);
  const data = dataBytes(array);
  const out = new Uint8Array(header.length + data.length);
  out.set(header, 0);
  out.set(data, header.length);
  return out;
}

/** Writes a .npy file atomically (temp file, fsync, rename); header and data written from where they are, uncopied. */
export async function writeNpy(file: string, array: NdArray): Promise<void> {
  const data = dataBytes(array);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = tempNameFor(file);
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      // FileHandle.writeFile writes all of it from the current position (plain write/writev may write part)
      await handle.writeFile(encodeNpyHeader(array.dtype, array.shape));
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
