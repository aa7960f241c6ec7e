// Assembles one recipe's Report from its task outcomes and SLO verdicts.
import os from 'node:os';
import type { EngineVersions } from '../plan/cache-key.js';
import type { RecipePlan } from '../plan/task-graph.js';
import type { Recipe } from '../recipe/types.js';
import type { TaskOutcome } from '../run/executor.js';
import { modelOutput } from '../run/run-task.js';
import { benchmarkValues, evaluationValues, relativeValues } from '../gate/metric-values.js';
import { evaluateSlos } from '../gate/evaluate-slos.js';
import type { Report, ReportStep } from './report-schema.js';

export interface ReportInput {
  recipe: Recipe;
  plan: RecipePlan;
  outcomes: ReadonlyMap<string, TaskOutcome>;
  versions: EngineVersions;
  source: { hash: string; size: number };
  /** where the final model lands, relative to the project root */
  finalPath: string;
}

function stepOf(o: TaskOutcome): ReportStep {
  const s: ReportStep = { id: o.task.step, plugin: o.task.plugin, kind: o.task.kind, status: o.status };
  if (o.run) {
    s.key = o.run.key;
    s.duration_ms = Math.round(o.run.record.durationMs);
    if (o.run.changed.length) s.changed_inputs = o.run.changed;
    if (o.run.record.metrics) s.metrics = o.run.record.metrics;
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
  const evalOf = (id: string | undefined): Record<string, number> => evaluationValues(id ? outcomes.get(id)?.run?.record.metrics : undefined);
  const baseline = { ...benchmarkValues(baselineRun?.record.metrics), ...evalOf(plan.evalBaseline) };
  const finalValues = { ...benchmarkValues(finalRun?.record.metrics), ...evalOf(plan.evalFinal) };
  const final = { ...finalValues, ...relativeValues(finalValues, baseline) };
  const failed = mine.some((o) => o.status === 'failed' || (o.status === 'skipped' && o.reason !== 'not selected by --only'));
  const verdicts = failed ? [] : evaluateSlos({ slo: recipe.slo, final, baseline, locations: recipe.locations });
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
    steps: mine.map(stepOf),
    slo: verdicts,
    warnings: mergeWarnings(mine),
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
