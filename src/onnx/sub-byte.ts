// Packing of 4- and 2-bit elements (INT4/UINT4/FLOAT4E2M1, INT2/UINT2): the first element sits in the lowest bits.
import { tensorError } from './model-errors.js';

/** Unpacks `count` elements of `bits` (4 or 2) each; signed types are sign-extended from two's complement. */
export function unpackBits(packed: Uint8Array, count: number, bits: 4 | 2, signed: boolean): Int8Array | Uint8Array {
  const out = signed ? new Int8Array(count) : new Uint8Array(count);
  const perByte = 8 / bits;
  const mask = (1 << bits) - 1;
  const signBit = 1 << (bits - 1);
  for (let i = 0; i < count; i++) {
    const byte = packed[Math.floor(i / perByte)] as number;
    const value = (byte >> ((i % perByte) * bits)) & mask;
    out[i] = signed && value & signBit ? value - (1 << bits) : value;
  }
  return out;
}

/** Packs integers into `bits`-wide fields; values outside the type's range are an error, not silently wrapped. */
export function packBits(values: ArrayLike<number>, bits: 4 | 2, signed: boolean, tensorName = ''): Uint8Array {
  const perByte = 8 / bits;
  const mask = (1 << bits) - 1;
  const min = signed ? -(1 << (bits - 1)) : 0;
  const max = signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
  const out = new Uint8Array(Math.ceil(values.length / perByte));
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw tensorError(tensorName, `element ${i} is ${value}, outside [${min}, ${max}] of a ${signed ? '' : 'u'}int${bits}`,
        'Clamp or requantize the values before packing them.', 'E_TENSOR_VALUE');
    }
    const index = Math.floor(i / perByte);
    out[index] = (out[index] as number) | ((value & mask) << ((i % perByte) * bits));
  }
  return out;
}
