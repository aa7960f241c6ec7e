// The evaluate step's metrics (what `accuracy.*` / `fidelity.*` SLOs read) and warnings for what could not be measured.
import type { LabelSource, OpenedDataset, StepOutput } from '../../src/api.js';
import type { EvalSessions } from './eval-sessions.js';
import type { FidelityResult } from './fidelity.js';
import { METRIC_KEY, type EvalMetric, type ScoringResult } from './scorer.js';

export interface EvalOutcome {
  dataset: OpenedDataset;
  sessions: EvalSessions;
  labels?: { source: LabelSource; kind: 'class' | 'target'; output: string; primary: EvalMetric; result: ScoringResult };
  fidelity?: FidelityResult;
  /** a path as messages show it (relative to the project) */
  show(file: string): string;
}

function accuracyPart(labels: NonNullable<EvalOutcome['labels']>, show: EvalOutcome['show'], warnings: string[], notComputed: Record<string, string>): Record<string, unknown> {
  const { result } = labels;
  for (const [metric, reason] of Object.entries(result.notComputed)) {
    notComputed[`accuracy.${metric}`] = reason;
    warnings.push(`accuracy.${metric} not computed: ${reason}`);
  }
  return {
    labels: { file: show(labels.source.file), kind: labels.kind, output: labels.output, ...result.details },
    primary: `accuracy.${METRIC_KEY[labels.primary]}`,
    accuracy: result.accuracy,
  };
}

function fidelityPart(outcome: EvalOutcome, fidelity: FidelityResult, warnings: string[], notComputed: Record<string, string>): Record<string, unknown> {
  const { sessions } = outcome;
  for (const [output, reason] of Object.entries(fidelity.notComputed)) {
    notComputed[`fidelity.${output}`] = reason;
    warnings.push(`fidelity not computed: ${reason}`);
  }
  if (sessions.uncompared.length) {
    warnings.push(`fidelity: output${sessions.uncompared.length > 1 ? 's' : ''} ${sessions.uncompared.map((n) => `"${n}"`).join(', ')} not compared (not in both models, not a tensor, or not numeric)`);
  }
  return {
    ...(fidelity.overall ? { fidelity: fidelity.overall } : {}),
    per_output: fidelity.per_output,
    reference: { same_model: sessions.sameAsReference, compared: sessions.compared },
  };
}

export function evaluationOutput(outcome: EvalOutcome): StepOutput {
  const { dataset, sessions } = outcome;
  const warnings: string[] = [];
  const notComputed: Record<string, string> = {};
  const metrics: Record<string, unknown> = {
    samples: dataset.samples,
    available: Number.isFinite(dataset.available) ? dataset.available : null,
    layout: dataset.layout,
    ep: { ran: sessions.model.ep, requested: sessions.model.requested, unavailable: sessions.model.unavailable },
    ...(outcome.labels ? accuracyPart(outcome.labels, outcome.show, warnings, notComputed) : {}),
    ...(outcome.fidelity ? fidelityPart(outcome, outcome.fidelity, warnings, notComputed) : {}),
  };
  if (Object.keys(notComputed).length) metrics.not_computed = notComputed;
  return { files: {}, metrics, ...(warnings.length ? { warnings } : {}) };
}
