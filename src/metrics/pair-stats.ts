// Element-wise comparison of measured values with reference values, accumulated over a dataset: MSE, cosine, SNR,
// max and mean |error|. One piece of math for every comparison: evaluate's fidelity and targets, quantize's checks.

/**
 * SNR of identical signals is infinite, and JSON has no infinity: reports clamp it to ±200 dB, far beyond what float32
 * rounding can show (its relative error, 2^-24, is about 144 dB).
 */
export const SNR_CAP_DB = 200;

export interface PairSummary {
  /** mean of (reference − measured)² over every element */
  mse: number;
  /** cosine similarity of all elements taken as one vector (1 when both are all zeros, 0 when only one is) */
  cosine: number;
  /** 10·log10(Σ reference² / Σ (reference − measured)²), clamped to ±SNR_CAP_DB */
  snr_db: number;
  /** largest |reference − measured| */
  max_abs: number;
  /** elements compared */
  elements: number;
}

/** Running sums in float64; each add() sees one sample's values, so nothing is kept but six numbers. */
export class PairStats {
  private n = 0;
  private rr = 0;
  private mm = 0;
  private rm = 0;
  private ee = 0;
  private abs = 0;
  private finite = 0;
  private worst = 0;
  /** element pairs where one side is NaN or ±Inf and the other differs from it */
  nonFinite = 0;

  add(reference: ArrayLike<number>, measured: ArrayLike<number>): void {
    if (reference.length !== measured.length) throw new RangeError(`compared ${reference.length} values with ${measured.length}`);
    for (let i = 0; i < reference.length; i++) {
      const r = reference[i]!;
      const m = measured[i]!;
      this.n++;
      if (!Number.isFinite(r) || !Number.isFinite(m)) {
        // the same NaN or infinity on both sides agrees; anything else cannot be measured as a distance
        if (!(r === m || (Number.isNaN(r) && Number.isNaN(m)))) this.nonFinite++;
        continue;
      }
      const d = r - m;
      this.rr += r * r;
      this.mm += m * m;
      this.rm += r * m;
      this.ee += d * d;
      this.abs += Math.abs(d);
      this.finite++;
      if (Math.abs(d) > this.worst) this.worst = Math.abs(d);
    }
  }

  /** mean |reference − measured| over the finite pairs */
  meanAbs(): number {
    return this.finite > 0 ? this.abs / this.finite : 0;
  }

  summary(): PairSummary {
    const { rr, mm, rm, ee } = this;
    const cosine = rr === 0 && mm === 0 ? 1 : rr === 0 || mm === 0 ? 0 : rm / Math.sqrt(rr * mm);
    const snr = ee === 0 ? SNR_CAP_DB : rr === 0 ? -SNR_CAP_DB : 10 * Math.log10(rr / ee);
    return {
      mse: this.n ? ee / this.n : 0,
      // rounding can carry |cosine| a hair past 1
      cosine: Math.max(-1, Math.min(1, cosine)),
      snr_db: Math.max(-SNR_CAP_DB, Math.min(SNR_CAP_DB, snr)),
      max_abs: this.worst,
      elements: this.n,
    };
  }
}
