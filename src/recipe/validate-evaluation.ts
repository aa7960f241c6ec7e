// Checks that the evaluation can measure what the recipe gates on: accuracy SLOs need labels, fidelity SLOs need eval inputs.
import { EdgeoptError } from '../errors.js';
import { isPlainObject, locate, type LocatedDoc } from './located-doc.js';
import { valueAt } from './pointer.js';
import { HIGHER_IS_BETTER } from './schema.js';

/** accuracy.* metrics that score class ids; the others compare float targets. */
const CLASS_METRICS = new Set(['accuracy.top1', 'accuracy.top5']);
const CLASS_PRIMARY = new Set(['top1', 'top5']);
/** data.eval keys that say how labels are scored: meaningless without labels */
const SCORING_KEYS = ['metric', 'output', 'threshold'] as const;

const LABELS_HINT = 'add `labels:` to data.eval: a .npy of [N] integer class ids (top1/top5) or [N, ...] float targets (mse/cosine/snr), '
  + 'or a data.jsonl whose lines carry "label" (README: Datasets); without labels, gate on fidelity.* (agreement with the float model) instead';

function at(doc: LocatedDoc, pointer: string, code: string, message: string, hint: string): EdgeoptError {
  const location = locate(doc, pointer, 'key');
  return new EdgeoptError({ code, message, hint, ...(location ? { location } : {}) });
}

function sloErrors(doc: LocatedDoc, metric: string, evalData: Record<string, unknown> | undefined): EdgeoptError[] {
  const pointer = `/slo/${metric}`;
  if (metric.startsWith('fidelity.')) {
    const errors: EdgeoptError[] = [];
    if (!evalData) {
      errors.push(at(doc, pointer, 'E_EVAL_NO_DATA', `\`slo.${metric}\` compares the final model with the source model on eval inputs, but the recipe has no \`data.eval\``,
        'add data.eval: { random: { seed: 0 } } for seeded inputs, or { source: ./data/eval } for real ones'));
    }
    const threshold = valueAt(doc.value, pointer);
    if (isPlainObject(threshold) && threshold['max_drop'] !== undefined) {
      // the baseline is the source model, whose fidelity to itself is perfect by definition
      errors.push(at(doc, `${pointer}/max_drop`, 'E_EVAL_METRIC', `\`slo.${metric}.max_drop\`: fidelity is already measured against the source model, so there is no baseline value to drop from`,
        `bound it with ${HIGHER_IS_BETTER.has(metric) ? 'min' : 'max'} instead, e.g. ${metric}: { ${HIGHER_IS_BETTER.has(metric) ? 'min: 0.99' : 'max: 0.01'} }`));
    }
    return errors;
  }
  if (!metric.startsWith('accuracy.')) return [];
  if (!evalData) {
    return [at(doc, pointer, 'E_EVAL_NO_LABELS', `\`slo.${metric}\` needs labelled eval data, but the recipe has no \`data.eval\``,
      'add data.eval: { source: ./data/eval, labels: ./data/eval/labels.npy }, labels being [N] integer class ids or [N, ...] float '
      + 'targets (README: Datasets); without labels, gate on fidelity.* (agreement with the float model) instead')];
  }
  if (evalData['labels'] === undefined) {
    return [at(doc, pointer, 'E_EVAL_NO_LABELS', `\`slo.${metric}\` needs labels, but \`data.eval\` has none: without labels only fidelity to the float model can be measured`, LABELS_HINT)];
  }
  const primary = evalData['metric'];
  if (typeof primary === 'string' && CLASS_PRIMARY.has(primary) !== CLASS_METRICS.has(metric)) {
    const [wants, scores] = CLASS_METRICS.has(metric) ? ['class-id labels', 'float targets'] : ['float targets', 'class ids'];
    return [at(doc, pointer, 'E_EVAL_METRIC', `\`slo.${metric}\` needs ${wants}, but \`data.eval.metric: ${primary}\` scores the labels as ${scores}`,
      `gate on accuracy.${CLASS_PRIMARY.has(primary) ? primary : primary === 'snr' ? 'snr_db' : primary}, or set data.eval.metric to match the labels`)];
  }
  return [];
}

export function validateEvaluation(doc: LocatedDoc): EdgeoptError[] {
  const slo = valueAt(doc.value, '/slo');
  const ev = valueAt(doc.value, '/data/eval');
  const evalData = isPlainObject(ev) ? ev : undefined;
  const errors = isPlainObject(slo) ? Object.keys(slo).flatMap((metric) => sloErrors(doc, metric, evalData)) : [];
  if (evalData && evalData['labels'] === undefined) {
    for (const key of SCORING_KEYS.filter((k) => evalData[k] !== undefined)) {
      errors.push(at(doc, `/data/eval/${key}`, 'E_EVAL_NO_LABELS', `\`data.eval.${key}\` says how labels are scored, but \`data.eval\` has no \`labels\``, LABELS_HINT));
    }
  }
  return errors;
}
