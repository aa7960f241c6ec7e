// The factor GPTQ propagates errors with: U upper triangular with H⁻¹ = UᵀU (the upper Cholesky factor of H⁻¹).

/** In-place lower Cholesky of a row-major symmetric k×k matrix (only the lower triangle is read); false if not PD. */
function choleskyLower(a: Float64Array, k: number): boolean {
  for (let j = 0; j < k; j++) {
    const rj = j * k;
    let s = a[rj + j] as number;
    for (let m = 0; m < j; m++) s -= (a[rj + m] as number) * (a[rj + m] as number);
    if (!(s > 0)) return false;
    const d = Math.sqrt(s);
    a[rj + j] = d;
    for (let i = j + 1; i < k; i++) {
      const ri = i * k;
      let t = a[ri + j] as number;
      for (let m = 0; m < j; m++) t -= (a[ri + m] as number) * (a[rj + m] as number);
      a[ri + j] = t / d;
    }
  }
  return true;
}

/** Inverse of a lower triangular row-major matrix, row by row (solves L X = I), into a new array. */
function invertLower(l: Float64Array, k: number): Float64Array {
  const x = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    const ri = i * k;
    x[ri + i] = 1;
    for (let m = 0; m < i; m++) {
      const f = l[ri + m] as number;
      if (f === 0) continue;
      const rm = m * k;
      for (let j = 0; j <= m; j++) x[ri + j] = (x[ri + j] as number) - f * (x[rm + j] as number);
    }
    const d = l[ri + i] as number;
    for (let j = 0; j <= i; j++) x[ri + j] = (x[ri + j] as number) / d;
  }
  return x;
}

/**
 * U with H⁻¹ = UᵀU, U upper triangular with a positive diagonal. With P the order reversal, P·H·P = L·Lᵀ gives
 * H = R·Rᵀ with R = P·L·P upper, so H⁻¹ = (R⁻¹)ᵀ·R⁻¹ and U = R⁻¹ = P·L⁻¹·P: one Cholesky and one triangular
 * inverse, no explicit H⁻¹. Returns undefined when H is not positive definite. `h` is left untouched.
 */
export function inverseUpperFactor(h: Float64Array, k: number): Float64Array | undefined {
  const reversed = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    const src = (k - 1 - a) * k;
    for (let b = 0; b <= a; b++) reversed[a * k + b] = h[src + (k - 1 - b)] as number;
  }
  if (!choleskyLower(reversed, k)) return undefined;
  const inverse = invertLower(reversed, k);
  const u = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    const src = (k - 1 - i) * k;
    for (let j = i; j < k; j++) u[i * k + j] = inverse[src + (k - 1 - j)] as number;
  }
  return u;
}
