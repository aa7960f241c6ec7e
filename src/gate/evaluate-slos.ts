// SLO thresholds + measured values → verdicts. Pure: the same numbers always give the same verdicts.
import type { SourceLocation } from '../errors.js';
import { HIGHER_IS_BETTER } from '../recipe/schema.js';
import type { ThresholdDoc } from '../recipe/schema.js';
import type { IntervalEstimate } from './latency-intervals.js';
import type { MetricValues } from './metric-values.js';

export type VerdictStatus = 'pass' | 'fail' | 'unmeasured';

export interface Verdict {
  metric: string;
  bound: 'max' | 'min' | 'max_drop';
  limit: number;
  value?: number;
  baseline?: number;
  status: VerdictStatus;
  message: string;
  location?: SourceLocation;
  /** confidence interval of the judged value (the metric, or its drop for max_drop), for noisy latency metrics */
  interval?: IntervalEstimate;
  /** the interval still straddles the limit after the allowed re-measurements: the point estimate decided */
  marginal?: boolean;
}

export interface GateInput {
  slo: Record<string, ThresholdDoc>;
  final: MetricValues;
  baseline: MetricValues;
  locations?: Record<string, SourceLocation>;
  /** why a metric cannot be measured on this host (e.g. energy_mj without RAPL), for its unmeasured verdict */
  unmeasurable?: Record<string, string>;
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));

export function evaluateSlos(input: GateInput): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const metric of Object.keys(input.slo).sort()) {
    const threshold = input.slo[metric]!;
    for (const bound of ['max', 'min', 'max_drop'] as const) {
      const limit = threshold[bound];
      if (limit === undefined) continue;
      const location = input.locations?.[`/slo/${metric}/${bound}`] ?? input.locations?.[`/slo/${metric}`];
      const v = judge(metric, bound, limit, input.final[metric], input.baseline[metric]);
      const why = input.unmeasurable?.[metric];
      if (v.status === 'unmeasured' && v.value === undefined && why) v.message = `${metric} is not measurable here: ${why}`;
      if (location) v.location = location;
      verdicts.push(v);
    }
  }
  return verdicts;
}

function judge(metric: string, bound: Verdict['bound'], limit: number, value: number | undefined, baseline: number | undefined): Verdict {
  const base: Verdict = { metric, bound, limit, status: 'unmeasured', message: '' };
  if (value !== undefined) base.value = value;
  if (baseline !== undefined) base.baseline = baseline;
  if (value === undefined) {
    return { ...base, message: `${metric} was not measured by this build, so the SLO cannot be proven` };
  }
  if (bound === 'max') {
    const ok = value <= limit;
    return { ...base, status: ok ? 'pass' : 'fail', message: `${fmt(value)} ${ok ? '≤' : '>'} max ${fmt(limit)}` };
  }
  if (bound === 'min') {
    const ok = value >= limit;
    return { ...base, status: ok ? 'pass' : 'fail', message: `${fmt(value)} ${ok ? '≥' : '<'} min ${fmt(limit)}` };
  }
  if (baseline === undefined) {
    return { ...base, message: `${metric} of the baseline was not measured, so its drop cannot be computed` };
  }
  // a drop is a worsening: lower for higher-is-better metrics, higher for the rest
  const drop = HIGHER_IS_BETTER.has(metric) ? baseline - value : value - baseline;
  const ok = drop <= limit;
  return {
    ...base,
    status: ok ? 'pass' : 'fail',
    message: `${fmt(value)} vs baseline ${fmt(baseline)}: worse by ${fmt(Math.max(drop, 0))} ${ok ? '≤' : '>'} max_drop ${fmt(limit)}`,
  };
}

export function gatePassed(verdicts: Verdict[]): boolean {
  return verdicts.every((v) => v.status === 'pass');
}
