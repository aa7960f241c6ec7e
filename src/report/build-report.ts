// Assembles one recipe's Report from its task outcomes and SLO verdicts.
import os from 'node:os';
import type { EngineVersions } from '../plan/cache-key.js';
import type { RecipePlan } from '../plan/task-graph.js';
import type { Recipe } from '../recipe/types.js';
import { recipeFailed, type TaskOutcome } from '../run/executor.js';
import type { GateRun } from '../run/remeasure.js';
import { modelOutput } from '../run/run-task.js';
import { summarizeLatencies } from '../ort/latency-stats.js';
import type { Report, ReportStep } from './report-schema.js';

export interface ReportInput {
  recipe: Recipe;
  plan: RecipePlan;
  outcomes: ReadonlyMap<string, TaskOutcome>;
  /** the verdicts and every measurement they rest on */
  gate: GateRun;
  versions: EngineVersions;
  source: { hash: string; size: number };
  /** where the final model lands, relative to the project root */
  finalPath: string;
}

/**
 * How many measurements (benchmark processes) a baseline/final figure rests on. The step's own metrics stay the
 * first measurement's (its cache record); re-measurements are listed with their runs, so report.json alone is
 * enough to recompute the verdicts.
 */
function measurementsOf(list: TaskOutcome[]): Record<string, unknown> {
  if (list.length < 2) return { count: list.length };
  const runs = list.map((o) => {
    const m = o.run!.record.metrics ?? {};
    const latency = (m.latency ?? {}) as { samples_ms?: number[] };
    return { id: o.task.id, key: o.run!.key, status: o.status, seed: (o.task.params.seed as number | undefined) ?? 0, runs: m.runs, samples_ms: latency.samples_ms ?? [] };
  });
  const pooled = summarizeLatencies(runs.flatMap((r) => r.samples_ms));
  const { min_ms: _min, stddev_ms: _sd, ...figures } = pooled;
  return { count: list.length, pooled: { runs: runs.reduce((a, r) => a + r.samples_ms.length, 0), ...figures, throughput_ips: 1000 / pooled.mean_ms }, each: runs };
}

function stepOf(o: TaskOutcome, measurements?: TaskOutcome[]): ReportStep {
  const s: ReportStep = { id: o.task.step, plugin: o.task.plugin, kind: o.task.kind, status: o.status };
  if (o.run) {
    s.key = o.run.key;
    s.duration_ms = Math.round(o.run.record.durationMs);
    if (o.run.changed.length) s.changed_inputs = o.run.changed;
    if (o.run.record.metrics) s.metrics = o.run.record.metrics;
    if (measurements && s.metrics) s.metrics = { ...s.metrics, measurements: measurementsOf(measurements) };
  }
  if (o.warnings.length) s.warnings = o.warnings;
  if (o.error) s.error = { code: o.error.code, message: o.error.message, ...(o.error.hint ? { hint: o.error.hint } : {}) };
  return s;
}

export function buildReport(input: ReportInput): Report {
  const { recipe, plan, outcomes } = input;
  const mine = [...outcomes.values()].filter((o) => o.task.recipe === recipe.name);
  const baselineRun = outcomes.get(plan.baseline)?.run;
  const finalRun = outcomes.get(plan.final)?.run;
  const { verdicts, final, baseline } = input.gate.gate;
  const failed = recipeFailed(mine);
  const measured: Record<string, TaskOutcome[]> = { [plan.final]: input.gate.final, [plan.baseline]: input.gate.baseline };
  const finalModel = plan.finalModelFrom ? outcomes.get(plan.finalModelFrom)?.run : undefined;
  const finalBlob = finalModel ? modelOutput(finalModel.record) : { hash: input.source.hash, size: input.source.size };
  const report: Report = {
    schema: 'edgeopt-report/1',
    recipe: { name: recipe.name, file: recipe.file },
    status: failed ? 'error' : verdicts.every((v) => v.status === 'pass') ? 'pass' : 'fail',
    versions: { ...input.versions, node: process.versions.node },
    host: {
      platform: process.platform, arch: process.arch, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length,
      memory_gb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    },
    target: recipe.target,
    model: { source: { path: recipe.model.path, sha256: input.source.hash, bytes: input.source.size } },
    steps: mine.map((o) => stepOf(o, measured[o.task.id])),
    slo: verdicts,
    warnings: [...mergeWarnings(mine), ...input.gate.warnings],
    created_at: new Date().toISOString(),
  };
  if (finalBlob && !failed) report.model.final = { path: input.finalPath, sha256: finalBlob.hash, bytes: finalBlob.size };
  if (baselineRun) report.baseline = baseline;
  if (finalRun) report.final = final;
  const ep = finalRun?.record.metrics?.ep ?? baselineRun?.record.metrics?.ep;
  if (ep && typeof ep === 'object') report.ep = ep as Record<string, unknown>;
  return report;
}

/** One line per distinct warning, naming every task that raised it (the baseline and final often say the same). */
function mergeWarnings(outcomes: TaskOutcome[]): string[] {
  const byText = new Map<string, string[]>();
  for (const o of outcomes) {
    for (const w of o.warnings) byText.set(w, [...(byText.get(w) ?? []), o.task.step]);
  }
  return [...byText].map(([text, steps]) => `${[...new Set(steps)].join(', ')}: ${text}`);
}
