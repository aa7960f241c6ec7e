// Fidelity of a model's outputs to a reference model's (the float source model): per output, and overall as the worst output.
import { EdgeoptError, formatShape, PairStats, type PairSummary } from '../../src/api.js';
import type { OutputValues } from './output-values.js';

export type FidelityValues = Pick<PairSummary, 'cosine' | 'snr_db' | 'mse' | 'max_abs'>;

export interface FidelityResult {
  /** the worst output's value of each metric: a bound on fidelity.* holds for every output */
  overall?: FidelityValues;
  per_output: Record<string, PairSummary>;
  /** output → why its fidelity could not be measured */
  notComputed: Record<string, string>;
}

export class FidelityTracker {
  private readonly stats: Map<string, PairStats>;

  constructor(outputs: readonly string[]) {
    this.stats = new Map(outputs.map((name) => [name, new PairStats()]));
  }

  /** One sample's outputs of the reference and of the measured model (same names, same shapes). */
  add(reference: Record<string, OutputValues>, measured: Record<string, OutputValues>, sample: number): void {
    for (const [name, stats] of this.stats) {
      const r = reference[name]!;
      const m = measured[name]!;
      if (r.dims.join() !== m.dims.join()) {
        throw new EdgeoptError({
          code: 'E_EVAL_SHAPE', kind: 'step',
          message: `output "${name}" has shape ${formatShape(m.dims)} but the source model's has ${formatShape(r.dims)} (eval sample ${sample}): the outputs cannot be compared`,
          hint: 'a step changed the output shape; fidelity needs the optimized model to compute the same outputs as the source model',
        });
      }
      stats.add(r.values, m.values);
    }
  }

  result(): FidelityResult {
    const per_output: Record<string, PairSummary> = {};
    const notComputed: Record<string, string> = {};
    for (const [name, stats] of this.stats) {
      const s = stats.summary();
      if (stats.nonFinite > 0) notComputed[name] = `${stats.nonFinite} of ${s.elements} values of output "${name}" are NaN or ±Inf where the source model's are not (or the reverse)`;
      else per_output[name] = s;
    }
    const measured = Object.values(per_output);
    if (Object.keys(notComputed).length > 0 || measured.length === 0) return { per_output, notComputed };
    const overall: FidelityValues = {
      cosine: Math.min(...measured.map((s) => s.cosine)),
      snr_db: Math.min(...measured.map((s) => s.snr_db)),
      mse: Math.max(...measured.map((s) => s.mse)),
      max_abs: Math.max(...measured.map((s) => s.max_abs)),
    };
    return { overall, per_output, notComputed };
  }
}
