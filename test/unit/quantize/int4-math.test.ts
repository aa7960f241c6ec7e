// INT4 math without ORT: block scales, MatMulNBits packing (padding, zero points), the GPTQ factor, GPTQ vs RTN.
import { describe, expect, it } from 'vitest';
import { blockScale, dequantizeBlockwise, quantizeBlockwise } from '../../../plugins/quantize/int4/blockwise.js';
import { gptqQuantize, Hessian } from '../../../plugins/quantize/int4/gptq.js';
import { inverseUpperFactor } from '../../../plugins/quantize/int4/hessian-factor.js';
import { WeightQuantError } from '../../../plugins/quantize/weight-quant.js';
import { mulberry32 } from '../../../src/ort/seeded-random.js';

const uniform = (n: number, seed: number, scale = 1): Float32Array => {
  const rand = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
};

/** |dequantized − float| / |scale of its block| for the worst element. */
function worstSteps(w: Float32Array, k: number, n: number, blockSize: number, symmetric: boolean): number {
  const packed = quantizeBlockwise(w, k, n, { blockSize, symmetric });
  const d = dequantizeBlockwise(packed);
  let worst = 0;
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < n; c++) {
      const s = Math.abs(packed.scales[c * packed.blocks + Math.floor(r / blockSize)]!);
      worst = Math.max(worst, Math.abs(d[r * n + c]! - w[r * n + c]!) / s);
    }
  }
  return worst;
}

describe('INT4 blockwise math', () => {
  it('symmetric blocks put their larger side on code −8 without clipping the other side; asymmetric ones hold 0 exactly', () => {
    expect(blockScale(-8, 7, true)).toEqual({ scale: 1, zeroPoint: 8 });
    expect(blockScale(-7, 8, true)).toEqual({ scale: -1, zeroPoint: 8 });
    expect(blockScale(-8, 8, true).scale).toBeCloseTo(8 / 7, 6);
    expect(blockScale(0, 0, true)).toEqual({ scale: 0, zeroPoint: 8 });
    expect(blockScale(0.2, 1.5, false)).toEqual({ scale: Math.fround(0.1), zeroPoint: 0 });
    expect(blockScale(-1.5, 0, false)).toEqual({ scale: Math.fround(0.1), zeroPoint: 15 });
  });

  it.each([[16, true], [32, false], [64, true], [128, false], [256, true]])('block %i symmetric=%s: every weight within half a step, K padded', (blockSize, symmetric) => {
    const k = 200;
    const n = 24;
    expect(worstSteps(uniform(k * n, blockSize), k, n, blockSize, symmetric)).toBeLessThanOrEqual(0.5 + 1e-5);
    const packed = quantizeBlockwise(uniform(k * n, 3), k, n, { blockSize, symmetric });
    expect(packed.blocks).toBe(Math.ceil(200 / blockSize));
    expect(packed.data.length).toBe(n * packed.blocks * (blockSize / 2));
    expect(packed.zeroPoints?.length).toBe(symmetric ? undefined : n * Math.ceil(packed.blocks / 2));
  });

  it('packs code j of a block in the low nibble of byte j/2, and padding rows with the zero point', () => {
    // K = 3, N = 1, block 16: codes for 1, -1, 0.5 with scale 1/7... and rows 3..15 padded with 8
    const packed = quantizeBlockwise(Float32Array.of(1, -1, 0.5), 3, 1, { blockSize: 16, symmetric: true });
    const s = packed.scales[0]!;
    const code = (v: number) => Math.round(v / s) + 8;
    expect(packed.data[0]).toBe(code(1) | (code(-1) << 4));
    expect(packed.data[1]).toBe(code(0.5) | (8 << 4));
    expect([...packed.data.subarray(2)]).toEqual(new Array(6).fill(8 | (8 << 4)));
  });

  it('refuses weights holding NaN or infinities', () => {
    expect(() => quantizeBlockwise(Float32Array.of(1, NaN, 0, 0), 4, 1, { blockSize: 16, symmetric: true })).toThrow(WeightQuantError);
    expect(() => quantizeBlockwise(Float32Array.of(1, Infinity, 0, 0), 4, 1, { blockSize: 16, symmetric: false })).toThrow(WeightQuantError);
  });
});

describe('GPTQ', () => {
  it('factors H⁻¹ = UᵀU with U upper triangular', () => {
    const k = 24;
    const x = uniform(64 * k, 9);
    const h = new Hessian(k);
    h.add(x, 64);
    const m = h.matrix();
    for (let i = 0; i < k; i++) m[i * k + i]! += 0.01;
    const u = inverseUpperFactor(m, k)!;
    // (UᵀU)·H = I
    let worst = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let v = 0;
        for (let a = 0; a < k; a++) {
          let hinv = 0;
          for (let b = 0; b < k; b++) hinv += u[b * k + i]! * u[b * k + a]!;
          v += hinv * m[a * k + j]!;
        }
        worst = Math.max(worst, Math.abs(v - (i === j ? 1 : 0)));
      }
      for (let j = 0; j < i; j++) expect(u[i * k + j]).toBe(0);
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it('a Gram matrix added whole equals rows added one by one', () => {
    const k = 8;
    const x = uniform(5 * k, 4);
    const a = new Hessian(k);
    a.add(x, 5);
    const gram = new Float64Array(k * k);
    for (let t = 0; t < 5; t++) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) gram[i * k + j]! += x[t * k + i]! * x[t * k + j]!;
    const b = new Hessian(k);
    b.addGram(gram, 5);
    expect([...b.matrix()].map((v) => v.toFixed(9))).toEqual([...a.matrix()].map((v) => v.toFixed(9)));
  });

  it('on correlated inputs, its output error X·(W − Q) is well below round-to-nearest', () => {
    const k = 64;
    const n = 32;
    const rows = 256;
    // inputs with strongly correlated features: a rank-8 mix plus a little noise
    const z = uniform(rows * 8, 11);
    const mix = uniform(8 * k, 12);
    const noise = uniform(rows * k, 13, 0.05);
    const x = new Float32Array(rows * k);
    for (let t = 0; t < rows; t++) for (let c = 0; c < k; c++) {
      let v = noise[t * k + c]!;
      for (let r = 0; r < 8; r++) v += z[t * 8 + r]! * mix[r * k + c]!;
      x[t * k + c] = v;
    }
    const w = uniform(k * n, 14);
    const h = new Hessian(k);
    h.add(x, rows);
    const error = (q: Float32Array) => {
      let e = 0;
      for (let t = 0; t < rows; t++) for (let c = 0; c < n; c++) {
        let d = 0;
        for (let i = 0; i < k; i++) d += x[t * k + i]! * (w[i * n + c]! - q[i * n + c]!);
        e += d * d;
      }
      return e;
    };
    const options = { blockSize: 16, symmetric: true };
    const rtn = error(dequantizeBlockwise(quantizeBlockwise(w, k, n, options)));
    const gptq = error(dequantizeBlockwise(gptqQuantize(w, k, n, h.matrix(), { ...options, damp: 0.01 })));
    expect(gptq).toBeLessThan(0.5 * rtn);
  });

  it('pads K to whole blocks like RTN (padding codes the zero point) and zeroes inputs the calibration never saw', () => {
    const k = 40;
    const n = 8;
    const x = uniform(32 * k, 15);
    for (let t = 0; t < 32; t++) x[t * k + 7] = 0; // input 7 is dead
    const h = new Hessian(k);
    h.add(x, 32);
    const w = uniform(k * n, 16);
    const packed = gptqQuantize(w, k, n, h.matrix(), { blockSize: 16, symmetric: true, damp: 0.01 });
    expect(packed.blocks).toBe(3);
    // rows 40..47 of every column are padding: code 8 in both nibbles of the last 4 bytes of each column's last block
    for (let c = 0; c < n; c++) expect([...packed.data.subarray(c * 24 + 20, c * 24 + 24)]).toEqual([0x88, 0x88, 0x88, 0x88]);
    const d = dequantizeBlockwise(packed);
    for (let c = 0; c < n; c++) expect(Math.abs(d[7 * n + c]!)).toBe(0);
  });
});

describe('RTN on worker threads', () => {
  it('codes a weight split across threads exactly as one thread does, and reports NaN weights', async () => {
    const { rtnWeights } = await import('../../../plugins/quantize/int4/rtn-pool.js');
    const k = 200;
    const n = 70;
    const values = uniform(k * n, 21);
    const candidate = (name: string, tensorValues: Float32Array) => ({
      node: { input: [], output: [], attribute: [] }, label: name, activation: 'x', inMainGraph: true, k, n,
      scope: undefined as never,
      weight: { tensor: { name, dims: [k, n], data_type: 1, raw_data: new Uint8Array(tensorValues.buffer) }, owner: { path: 'main' } as never },
    });
    const bad = Float32Array.from(values);
    bad[1234] = NaN;
    for (const symmetric of [true, false]) {
      const options = { blockSize: 32, symmetric };
      const good = candidate('w', values);
      const result = await rtnWeights([good, candidate('bad', bad)], options, undefined, { minParallelElements: 1, minPoolBytes: 1 });
      expect(result.threads).toBeGreaterThan(1);
      const one = quantizeBlockwise(values, k, n, options);
      expect(result.packed.get(good)).toEqual(one);
      expect([...result.packed.values()][1]).toBeInstanceOf(WeightQuantError);
    }
  });
});
