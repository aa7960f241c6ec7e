// Reads plot inputs out of a Report: raw latency samples of the baseline and final benchmarks, the EP that ran.
import type { Report } from './report-schema.js';

/** `steps[kind].metrics.latency.samples_ms`, when the benchmark kept them. */
export function latencySamples(report: Report, kind: 'baseline' | 'final'): number[] | undefined {
  const step = report.steps.find((s) => s.kind === kind);
  const latency = step?.metrics?.latency as { samples_ms?: unknown } | undefined;
  const samples = latency?.samples_ms;
  return Array.isArray(samples) && samples.length > 0 ? samples.filter((v): v is number => typeof v === 'number') : undefined;
}

/** The EP that actually ran: the report's `ep.ran`, else what a benchmark step recorded (a failed build has no top-level `ep`). */
export function epRan(report: Report): string | undefined {
  if (typeof report.ep?.ran === 'string') return report.ep.ran;
  for (const s of report.steps) {
    const ep = s.metrics?.ep as { ran?: unknown } | undefined;
    if (typeof ep?.ran === 'string') return ep.ran;
  }
  return undefined;
}
