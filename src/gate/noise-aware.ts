// Noise-aware verdicts: each latency verdict carries its confidence interval; one that straddles its limit is marginal.
import { HIGHER_IS_BETTER } from '../recipe/schema.js';
import { BOOTSTRAP_DEFAULTS } from './bootstrap.js';
import { evaluateSlos, type GateInput, type Verdict } from './evaluate-slos.js';
import { intervalFor, needsBaseline, quantileOf, type IntervalEstimate, type LatencySamples } from './latency-intervals.js';
import { runsToBound } from './quantile-bounds.js';

export type NoiseCall = 'pass' | 'fail' | 'marginal';

/**
 * The point estimate decides pass or fail; the interval says whether noise could have decided otherwise. A call is
 * clear only when the whole interval lies on the point estimate's side of the limit (an open side reaches to
 * infinity); the bounds are inclusive, as in evaluateSlos.
 */
export function classify(
  bound: Verdict['bound'], limit: number, value: number, interval: Pick<IntervalEstimate, 'lo' | 'hi' | 'open'>,
): NoiseCall {
  const lo = interval.open === 'lo' || interval.open === 'both' ? -Infinity : interval.lo;
  const hi = interval.open === 'hi' || interval.open === 'both' ? Infinity : interval.hi;
  if (bound === 'min') {
    if (value >= limit) return lo >= limit ? 'pass' : 'marginal';
    return hi < limit ? 'fail' : 'marginal';
  }
  if (value <= limit) return hi <= limit ? 'pass' : 'marginal';
  return lo > limit ? 'fail' : 'marginal';
}

/** The value a verdict compares with its limit: the metric, or its worsening against the baseline for max_drop. */
function judgedValue(v: Verdict): number | undefined {
  if (v.value === undefined) return undefined;
  if (v.bound !== 'max_drop') return v.value;
  if (v.baseline === undefined) return undefined;
  return HIGHER_IS_BETTER.has(v.metric) ? v.baseline - v.value : v.value - v.baseline;
}

export interface NoiseAwareInput extends GateInput {
  /** per-run latency samples of every measurement of the final model and the baseline */
  samples: LatencySamples;
  confidence: number;
}

/** evaluateSlos, with an interval on every noisy verdict and `marginal` where the interval straddles the limit. */
export function noiseAwareVerdicts(input: NoiseAwareInput): Verdict[] {
  const opts = { ...BOOTSTRAP_DEFAULTS, confidence: input.confidence };
  return evaluateSlos(input).map((v) => {
    const judged = judgedValue(v);
    if (v.status === 'unmeasured' || judged === undefined) return v;
    const interval = intervalFor(v.metric, v.bound, input.samples, opts);
    if (!interval) return v;
    const out: Verdict = { ...v, interval };
    if (classify(v.bound, v.limit, judged, interval) === 'marginal') {
      out.marginal = true;
      out.message = `${v.message}; ${marginalNote(v.metric, interval)}`;
    }
    return out;
  });
}

function marginalNote(metric: string, interval: IntervalEstimate): string {
  const n = interval.measurements + (interval.baseline_measurements ?? 0);
  const note = `within the noise after ${n} measurement${n === 1 ? '' : 's'}`;
  const q = quantileOf(metric);
  if (!interval.open || q === undefined) return note;
  const side = interval.open === 'lo' ? 'lo' : 'hi';
  const pct = `${Math.round(interval.confidence * 100)}%`;
  return `${note}: ${interval.samples} runs cannot bound P${Math.round(q * 100)} from ${side === 'hi' ? 'above' : 'below'} at ${pct} (${runsToBound(q, interval.confidence, side)} can)`;
}

/**
 * A noisy verdict to measure again: a marginal one, or a fail that rests on one measurement. Interference from the
 * rest of the machine (preemption, a neighbour's load) only ever makes runs slower, and one process cannot show
 * how much slower its whole run was than the next process's would be: its interval is of its own runs. So a clear
 * pass of one measurement stands, while a fail is confirmed by a second before the build fails on it.
 */
export function needsRemeasure(v: Verdict): boolean {
  return v.marginal === true || (v.status === 'fail' && v.interval !== undefined && v.interval.measurements < 2);
}

/** Which benchmarks a re-measurement must repeat so those verdicts can be judged again. */
export function remeasureNeeds(verdicts: readonly Verdict[]): { final: boolean; baseline: boolean } {
  const again = verdicts.filter(needsRemeasure);
  return { final: again.length > 0, baseline: again.some((v) => needsBaseline(v.metric, v.bound)) };
}
