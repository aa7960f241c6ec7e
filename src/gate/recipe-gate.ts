// One recipe's gate from its measurements: values (pooled over re-measurements) and noise-aware verdicts. Pure.
import type { SourceLocation } from '../errors.js';
import type { ThresholdDoc } from '../recipe/schema.js';
import { summarizeLatencies } from '../ort/latency-stats.js';
import type { Verdict } from './evaluate-slos.js';
import { benchmarkValues, evaluationValues, relativeValues, type MetricValues } from './metric-values.js';
import { noiseAwareVerdicts } from './noise-aware.js';

type Metrics = Record<string, unknown> | undefined;

export interface RecipeGateInput {
  slo: Record<string, ThresholdDoc>;
  locations?: Record<string, SourceLocation>;
  confidence: number;
  /** the benchmark step metrics of each measurement, first (the cached one) first; empty when it did not run */
  final: Metrics[];
  baseline: Metrics[];
  evalFinal?: Metrics;
  evalBaseline?: Metrics;
}

export interface RecipeGate {
  verdicts: Verdict[];
  final: MetricValues;
  baseline: MetricValues;
}

function samplesOf(metrics: Metrics): number[] | undefined {
  const s = (metrics?.latency as { samples_ms?: unknown } | undefined)?.samples_ms;
  return Array.isArray(s) && s.length > 0 && s.every((x) => typeof x === 'number') ? s as number[] : undefined;
}

/**
 * The benchmark values the gate judges. Over several measurements the latency figures are those of all their runs
 * together (the same statistics latency-stats gives one run); the rest (size, memory, load time) stay the first's.
 */
export function pooledBenchmarkValues(measurements: Metrics[]): MetricValues {
  const values = benchmarkValues(measurements[0]);
  if (measurements.length < 2) return values;
  const all = measurements.map(samplesOf);
  if (all.some((s) => s === undefined)) return values;
  const l = summarizeLatencies(all.flat() as number[]);
  return {
    ...values,
    'latency.p50_ms': l.p50_ms, 'latency.p90_ms': l.p90_ms, 'latency.p99_ms': l.p99_ms, 'latency.mean_ms': l.mean_ms,
    'latency.max_ms': l.max_ms, throughput_ips: 1000 / l.mean_ms,
  };
}

/** Why a metric the host cannot measure has no value (energy without RAPL counters). */
function unmeasurable(metrics: Metrics): Record<string, string> {
  const energy = metrics?.energy as { measurable?: boolean; reason?: string } | undefined;
  return energy && energy.measurable === false && energy.reason ? { energy_mj: energy.reason } : {};
}

export function recipeGate(input: RecipeGateInput): RecipeGate {
  const baseline = { ...pooledBenchmarkValues(input.baseline), ...evaluationValues(input.evalBaseline) };
  const finalValues = { ...pooledBenchmarkValues(input.final), ...evaluationValues(input.evalFinal) };
  const final = { ...finalValues, ...relativeValues(finalValues, baseline) };
  const samples = {
    final: input.final.map(samplesOf).filter((s): s is number[] => s !== undefined),
    baseline: input.baseline.map(samplesOf).filter((s): s is number[] => s !== undefined),
  };
  const verdicts = noiseAwareVerdicts({
    slo: input.slo, final, baseline, samples, confidence: input.confidence, unmeasurable: unmeasurable(input.final[0]),
    ...(input.locations ? { locations: input.locations } : {}),
  });
  return { verdicts, final, baseline };
}
