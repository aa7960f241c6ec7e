// The .npy header (format versions 1.0, 2.0, 3.0): magic, version, length, and the Python dict literal after it.
import { EdgeoptError } from '../errors.js';
import type { TensorDType } from '../recipe/types.js';
import { NPY_CODES, codeOf, dtypeOfCode, elementCount, itemSize } from './npy-dtypes.js';

export interface NpyHeader {
  dtype: TensorDType;
  /** true for '>' (big-endian) multi-byte data; the reader swaps it */
  bigEndian: boolean;
  shape: number[];
  /** byte offset of the first element */
  dataOffset: number;
  /** bytes of element data: product(shape) × item size */
  dataBytes: number;
  version: 1 | 2 | 3;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy pads so that the data starts on a 64-byte boundary (older numpy: 16); we read either, write 64 */
const ALIGN = 64;

function npyError(file: string, message: string, hint?: string): EdgeoptError {
  return new EdgeoptError({ code: 'E_NPY_FORMAT', kind: 'recipe', message: `${file}: ${message}`, ...(hint ? { hint } : {}) });
}

/** How many leading bytes hold the header: 10 for v1 (2-byte length) or 12 for v2/v3 (4-byte length), plus the dict. */
export function headerLength(bytes: Uint8Array, file: string): { version: 1 | 2 | 3; dictStart: number; dataOffset: number } {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw npyError(file, 'not a .npy file (the first bytes are not \\x93NUMPY)', 'save arrays with numpy.save(path, array)');
  }
  const major = bytes[6]!;
  if (major !== 1 && major !== 2 && major !== 3) throw npyError(file, `.npy format version ${major}.${bytes[7]} is not supported (1.0, 2.0 and 3.0 are)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major === 1) return { version: 1, dictStart: 10, dataOffset: 10 + view.getUint16(8, true) };
  if (bytes.length < 12) throw npyError(file, 'the header is truncated');
  return { version: major, dictStart: 12, dataOffset: 12 + view.getUint32(8, true) };
}

function parseShape(text: string, file: string): number[] {
  const inner = text.trim();
  if (inner === '') return [];
  return inner.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
    const n = Number(s.replace(/L$/, '')); // Python 2 wrote longs as 3L
    if (!Number.isSafeInteger(n) || n < 0) throw npyError(file, `the header's shape (${text}) has a dimension "${s}" that is not a size`);
    return n;
  });
}

/** Parses the header dict of `bytes` (which must hold at least the whole header). */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader {
  const { version, dictStart, dataOffset } = headerLength(bytes, file);
  if (bytes.length < dataOffset) throw npyError(file, 'the header is truncated');
  const dict = new TextDecoder(version === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(dictStart, dataOffset));
  const descr = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(dict)?.[2];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(dict)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(dict)?.[1];
  if (descr === undefined) {
    const structured = /['"]descr['"]\s*:\s*\[/.test(dict);
    throw npyError(file, structured ? 'structured (record) dtypes are not supported' : `the header has no dtype: ${dict.trim()}`,
      'save a plain numeric array, one file per model input');
  }
  if (fortran === undefined || shapeText === undefined) throw npyError(file, `the header is incomplete: ${dict.trim()}`);
  if (fortran === 'True') {
    throw npyError(file, 'the array is stored in Fortran (column-major) order; edgeopt reads C order only',
      'save it with numpy.save(path, numpy.ascontiguousarray(array))');
  }
  const order = descr[0] === '<' || descr[0] === '>' || descr[0] === '|' || descr[0] === '=' ? descr[0] : '';
  const code = order ? descr.slice(1) : descr;
  const dtype = dtypeOfCode(code === '?' ? 'b1' : code);
  if (!dtype) {
    throw npyError(file, `dtype '${descr}' is not supported`, `supported dtypes: ${NPY_CODES.join(', ')} (little- or big-endian)`);
  }
  const shape = parseShape(shapeText, file);
  return { dtype, bigEndian: order === '>' && itemSize(dtype) > 1, shape, dataOffset, dataBytes: elementCount(shape) * itemSize(dtype), version };
}

/** The header bytes for a little-endian C-order array: version 1.0, or 2.0 when the dict does not fit 64 KiB. */
export function encodeNpyHeader(dtype: TensorDType, shape: readonly number[]): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const prefix = itemSize(dtype) === 1 ? '|' : '<';
  const dict = `{'descr': '${prefix}${codeOf(dtype)}', 'fortran_order': False, 'shape': (${dims}), }`;
  // the length field counts the padded dict: version 1.0 stores it in 2 bytes, 2.0 in 4
  const layout = (fixed: number): { fixed: number; padded: number } => ({ fixed, padded: Math.ceil((fixed + dict.length + 1) / ALIGN) * ALIGN });
  const first = layout(10);
  const { fixed, padded } = first.padded - 10 <= 0xffff ? first : layout(12);
  const v1 = fixed === 10;
  const text = dict + ' '.repeat(padded - fixed - dict.length - 1) + '\n';
  const out = new Uint8Array(padded);
  out.set(MAGIC, 0);
  out[6] = v1 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (v1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(new TextEncoder().encode(text), fixed);
  return out;
}
