// `evaluate`: a model's accuracy on the recipe's eval data (top-1/top-5 from class ids, MSE/cosine/SNR against float
// targets) and, when the task has a reference, its fidelity to the source model's outputs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  EdgeoptError, openDataset, openLabels, type JSONSchema, type LabelSource, type OpenedDataset, type Plugin, type ResolvedEvalDataset,
  type StepContext,
} from '../../src/api.js';
import { defaultBatch, runEvaluation } from './eval-loop.js';
import { evaluationOutput, type EvalOutcome } from './eval-output.js';
import { openEvalSessions, type EvalSessions } from './eval-sessions.js';
import { FidelityTracker } from './fidelity.js';
import { checkLabelCount, datasetFiles, scoringFor, type Scoring } from './label-scoring.js';
import { isNumericOutput } from './output-values.js';
import type { EvalMetric } from './scorer.js';

export interface EvaluateParams {
  metric?: EvalMetric;
  output?: string;
  threshold?: number;
  batch?: number;
}

const schema = JSON.parse(readFileSync(new URL('./schema.json', import.meta.url), 'utf8')) as JSONSchema;
const DEFAULT_THRESHOLD = 0.5;

/** The output the labels are scored against: the one the params name, else the model's first. */
function scoredOutput(sessions: EvalSessions, wanted: string | undefined): string {
  const meta = sessions.model.session.outputMetadata;
  const name = wanted ?? meta[0]!.name;
  const found = meta.find((m) => m.name === name);
  if (!found || !found.isTensor || !isNumericOutput(found.type)) {
    throw new EdgeoptError({
      code: 'E_EVAL_OUTPUT', kind: 'recipe',
      message: found ? `output "${name}" is not a numeric tensor, so labels cannot be scored against it` : `the model has no output "${name}"; its outputs are: ${meta.map((m) => m.name).join(', ')}`,
      hint: `set data.eval.output to one of: ${meta.filter((m) => m.isTensor && isNumericOutput(m.type)).map((m) => m.name).join(', ')}`,
    });
  }
  return name;
}

async function labelScoring(
  data: ResolvedEvalDataset & { labels: string }, dataset: OpenedDataset, sessions: EvalSessions, params: EvaluateParams, show: EvalOutcome['show'],
): Promise<{ source: LabelSource; output: string } & Scoring> {
  const output = scoredOutput(sessions, params.output);
  const source = await openLabels(data.labels);
  // labels need files to label: validation refuses labels on random data
  checkLabelCount(source, dataset, datasetFiles(data.source!, dataset), show);
  return { source, output, ...scoringFor(source, { ...(params.metric ? { metric: params.metric } : {}), threshold: params.threshold ?? DEFAULT_THRESHOLD }, output, show) };
}

function noData(ctx: StepContext): EdgeoptError {
  return new EdgeoptError({
    code: 'E_EVAL_NO_DATA', kind: 'recipe',
    message: `step "${ctx.stepId}" (evaluate) runs on the recipe's data.eval, and ${path.basename(ctx.recipe.file)} has none`,
    hint: 'add data.eval: { source: ./data/eval, labels: ./data/eval/labels.npy } for accuracy, or { random: { seed: 0 } } for fidelity only',
  });
}

export const evaluatePlugin: Plugin<EvaluateParams> = {
  name: 'evaluate',
  version: '1.0.0',
  params: schema,
  produces: 'metrics',
  dataInputs: ['eval'],
  async run(ctx, params) {
    const data = ctx.data.eval;
    if (!data) throw noData(ctx);
    const show = (file: string): string => path.relative(ctx.recipe.projectRoot, file) || file;
    const sessions = await openEvalSessions(ctx);
    try {
      const dataset = await openDataset(data, sessions.specs, 'eval');
      const labels = data.labels ? await labelScoring({ ...data, labels: data.labels }, dataset, sessions, params, show) : undefined;
      const fidelity = ctx.inputs.reference ? new FidelityTracker(sessions.compared) : undefined;
      await runEvaluation({
        sessions, dataset, batch: params.batch ?? defaultBatch(sessions.specs), signal: ctx.signal, progress: (f, m) => ctx.progress(f, m),
        ...(labels ? { labels } : {}), ...(fidelity ? { fidelity } : {}),
      });
      const outcome: EvalOutcome = { dataset, sessions, show };
      if (labels) outcome.labels = { source: labels.source, kind: labels.kind, output: labels.output, primary: labels.primary, result: labels.scorer.result() };
      if (fidelity) outcome.fidelity = fidelity.result();
      const output = evaluationOutput(outcome);
      ctx.log.info(summaryLine(output.metrics ?? {}));
      return output;
    } finally {
      await sessions.release();
    }
  },
};

function summaryLine(metrics: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const group of ['accuracy', 'fidelity']) {
    for (const [k, v] of Object.entries((metrics[group] ?? {}) as Record<string, number>)) parts.push(`${group}.${k} ${v.toPrecision(4)}`);
  }
  return `${parts.join(', ') || 'nothing scored'} on ${String(metrics.samples)} samples`;
}
