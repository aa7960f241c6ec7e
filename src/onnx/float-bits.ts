// Bit-exact conversions between float32 and the small float formats ONNX stores (fp16, bf16, fp8 variants, fp4).

let halfTable: Uint32Array | undefined;

/** float32 bit pattern of every fp16 value (256 KB, built once): exact for subnormals, ±inf and NaN payloads. */
function halfToFloatBitsTable(): Uint32Array {
  if (halfTable) return halfTable;
  const table = new Uint32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exponent = (h >> 10) & 0x1f;
    let mantissa = h & 0x3ff;
    if (exponent === 0x1f) {
      table[h] = sign | 0x7f800000 | (mantissa << 13);
    } else if (exponent !== 0) {
      table[h] = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa === 0) {
      table[h] = sign;
    } else {
      // subnormal fp16: shift the mantissa up until its leading 1 is the implicit bit
      let e = 113;
      while ((mantissa & 0x400) === 0) {
        mantissa <<= 1;
        e--;
      }
      table[h] = sign | (e << 23) | ((mantissa & 0x3ff) << 13);
    }
  }
  halfTable = table;
  return table;
}

const scratch = new DataView(new ArrayBuffer(4));

/** One fp16 bit pattern → number. */
export function halfToFloat(bits: number): number {
  scratch.setUint32(0, halfToFloatBitsTable()[bits & 0xffff] as number);
  return scratch.getFloat32(0);
}

/** float32 bit pattern → fp16 bit pattern, round to nearest, ties to even; overflow → ±inf; NaN stays NaN. */
export function floatBitsToHalf(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 | (mantissa >>> 13) : 0);
  const halfExponent = exponent - 112;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    const full = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    let half = full >>> shift;
    const rest = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = sign | (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // a carry out of the mantissa correctly bumps the exponent (and turns the largest values into inf)
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
  return half;
}

/** number → fp16 bits (via float32, as numpy's astype(float32).astype(float16)). */
export function floatToHalf(value: number): number {
  scratch.setFloat32(0, value);
  return floatBitsToHalf(scratch.getUint32(0));
}

export function decodeFloat16(bits: Uint16Array): Float32Array {
  const table = halfToFloatBitsTable();
  const out = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i] as number] as number;
  return new Float32Array(out.buffer);
}

export function encodeFloat16(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = floatBitsToHalf(bits[i] as number);
  return out;
}

export function decodeBFloat16(bits: Uint16Array): Float32Array {
  const out = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = (bits[i] as number) << 16;
  return new Float32Array(out.buffer);
}

/** float32 → bfloat16, round to nearest even; NaN stays a (quiet) NaN. */
export function encodeBFloat16(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = bits[i] as number;
    if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) out[i] = (x >>> 16) | 0x40;
    else out[i] = (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
  }
  return out;
}

interface MiniFloat {
  exponentBits: number;
  mantissaBits: number;
  bias: number;
  /** ieee: top exponent is inf/NaN; fn: only all-ones is NaN; fnuz: 0x80 is NaN, no -0, no inf */
  special: 'ieee' | 'fn' | 'fnuz' | 'none';
  signed: boolean;
}

function miniFloatValue(code: number, f: MiniFloat): number {
  const width = f.exponentBits + f.mantissaBits + (f.signed ? 1 : 0);
  const negative = f.signed && (code >> (width - 1)) & 1;
  const exponent = (code >> f.mantissaBits) & ((1 << f.exponentBits) - 1);
  const mantissa = code & ((1 << f.mantissaBits) - 1);
  const maxExponent = (1 << f.exponentBits) - 1;
  if (f.special === 'fnuz' && code === 1 << (width - 1)) return NaN;
  if (f.special === 'ieee' && exponent === maxExponent) return mantissa ? NaN : negative ? -Infinity : Infinity;
  if (f.special === 'fn' && exponent === maxExponent && mantissa === (1 << f.mantissaBits) - 1) return NaN;
  const scale = 2 ** f.mantissaBits;
  const magnitude = exponent === 0
    ? (mantissa / scale) * 2 ** (1 - f.bias)
    : (1 + mantissa / scale) * 2 ** (exponent - f.bias);
  return negative ? -magnitude : magnitude;
}

function table(f: MiniFloat): Float32Array {
  const size = 1 << (f.exponentBits + f.mantissaBits + (f.signed ? 1 : 0));
  return Float32Array.from({ length: size }, (_, code) => miniFloatValue(code, f));
}

/** Value tables of the 8- and 4-bit float types, indexed by code (ONNX's FLOAT8 and FLOAT4 definitions). */
export const MINIFLOAT_TABLES = {
  FLOAT8E4M3FN: table({ exponentBits: 4, mantissaBits: 3, bias: 7, special: 'fn', signed: true }),
  FLOAT8E4M3FNUZ: table({ exponentBits: 4, mantissaBits: 3, bias: 8, special: 'fnuz', signed: true }),
  FLOAT8E5M2: table({ exponentBits: 5, mantissaBits: 2, bias: 15, special: 'ieee', signed: true }),
  FLOAT8E5M2FNUZ: table({ exponentBits: 5, mantissaBits: 2, bias: 16, special: 'fnuz', signed: true }),
  FLOAT4E2M1: table({ exponentBits: 2, mantissaBits: 1, bias: 1, special: 'none', signed: true }),
  // E8M0: a bare power of two 2^(e-127), 0xff is NaN
  FLOAT8E8M0: Float32Array.from({ length: 256 }, (_, e) => (e === 255 ? NaN : 2 ** (e - 127))),
} as const;
