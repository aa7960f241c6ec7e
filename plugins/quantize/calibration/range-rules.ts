// The range rules calibration method auto chooses among: a method (min/max, entropy, percentile) and a headroom that
// widens the range it gives, up to what calibration saw. Headroom pays when the data the model meets later reaches
// past the calibration samples' tails (measured on ISNet: a 1.2-2x wider range beat every unwidened rule there).
import type { Observations } from './collect-ranges.js';
import { activationRange, type ActivationRange } from './range-methods.js';

export interface RangeRule {
  method: 'minmax' | 'entropy' | 'percentile';
  percentile?: number;
  /** the range's ends are multiplied by this, then clipped to the values seen */
  headroom: number;
}

/** The grid the search moves on: headrooms, and percentiles (tighter to looser). */
export const HEADROOMS = [1, 1.25, 1.5, 2, 2.5, 3, 4];
export const PERCENTILES = [99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999];

/**
 * Where the search starts: minmax (headroom is moot: it already reaches every value seen), then entropy and three
 * percentiles at the first four headrooms. `neighbours` then walks the grid from the best of them.
 */
export const START_RULES: readonly RangeRule[] = [
  { method: 'minmax', headroom: 1 },
  ...[{ method: 'percentile', percentile: 99.999 }, { method: 'percentile', percentile: 99.99 }, { method: 'percentile', percentile: 99.9 }, { method: 'entropy' }]
    .flatMap((base) => HEADROOMS.slice(0, 4).map((headroom) => ({ ...base, headroom }) as RangeRule)),
];

/** The rules one grid step from `rule`: one headroom up or down, and for percentile one percentile up or down. */
export function neighbours(rule: RangeRule): RangeRule[] {
  if (rule.method === 'minmax') return [];
  const h = HEADROOMS.indexOf(rule.headroom);
  const out: RangeRule[] = [h - 1, h + 1].filter((i) => i >= 0 && i < HEADROOMS.length).map((i) => ({ ...rule, headroom: HEADROOMS[i]! }));
  if (rule.method === 'percentile') {
    const p = PERCENTILES.indexOf(rule.percentile!);
    out.push(...[p - 1, p + 1].filter((i) => i >= 0 && i < PERCENTILES.length).map((i) => ({ ...rule, percentile: PERCENTILES[i]! })));
  }
  return out;
}

export function ruleLabel(rule: RangeRule): string {
  const base = rule.method === 'percentile' ? `percentile ${rule.percentile}` : rule.method;
  return rule.headroom === 1 ? base : `${base} x${rule.headroom}`;
}

/**
 * Each observed tensor's range under `rule`. `memo` keeps the unwidened ranges of one Observations per method, so
 * the headrooms of one method cost one pass of it (entropy's window search is the slow one).
 */
export function ruleRanges(observed: Observations, rule: RangeRule, memo?: Map<string, Map<string, ActivationRange>>): Map<string, ActivationRange> {
  const key = `${rule.method} ${rule.percentile ?? ''}`;
  let base = memo?.get(key);
  if (!base) {
    base = new Map();
    for (const [name, o] of observed) if (o.count > 0) base.set(name, activationRange(o, rule.method, rule.percentile));
    memo?.set(key, base);
  }
  if (rule.headroom === 1) return base;
  const widened = new Map<string, ActivationRange>();
  for (const [name, r] of base) {
    const o = observed.get(name)!;
    // away from zero only (quantization adds zero to every range): a positive minimum stays where it is
    widened.set(name, { min: r.min < 0 ? Math.max(o.min, r.min * rule.headroom) : r.min, max: r.max > 0 ? Math.min(o.max, r.max * rule.headroom) : r.max });
  }
  return widened;
}
