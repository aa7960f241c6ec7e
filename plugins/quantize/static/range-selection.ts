// Calibration method auto: which range rule to quantize activations with, chosen by cross-validation. The calibration
// samples are split in two halves; every rule's ranges from one half quantize the model, which then runs the other
// half, and the rule whose outputs come closest to float's on the samples it never saw wins (its ranges are then
// taken from all samples). Ranges that fit their own samples best (min/max, no headroom) often clip what new data
// brings; holding samples out measures that instead of guessing it.
import { EdgeoptError, type Feeds, type ModelProto } from '../../../src/api.js';
import type { ActivationRange } from '../calibration/range-methods.js';
import type { Observations } from '../calibration/collect-ranges.js';
import { neighbours, ruleLabel, ruleRanges, START_RULES, type RangeRule } from '../calibration/range-rules.js';
import { outputError, runOutputs, unknownOutputsError, type Outputs } from './output-error.js';

/** Held-out samples run per half and rule: enough to see a rule generalize, few enough to keep the search minutes. */
export const HELD_OUT_PER_HALF = 6;
/** Most rules measured: the start set, then grid steps from the best while they improve it. */
export const MAX_RULES = 32;

export interface RuleScore {
  rule: string;
  /** mean over the held-out samples of the worst counted output's SNR against float, in dB */
  heldout_snr_db: number;
  /** the lowest held-out sample's */
  worst_sample_snr_db: number;
}

export interface RangeSelection {
  rule: RangeRule;
  label: string;
  /** every rule's score, best first */
  scores: RuleScore[];
  /** held-out samples each rule was measured on (both halves together) */
  heldout_samples: number;
  /** models built and run */
  evaluations: number;
}

export interface RangeSelectionOptions {
  /** the two halves' observations (collectRanges with folds: 2) */
  halves: Observations[];
  /** the quantized model for these ranges */
  build(ranges: ReadonlyMap<string, ActivationRange>): ModelProto;
  /** the first calibration samples, in dataset order (sample i belongs to half i mod 2) */
  samples: Feeds[];
  /** the outputs that count (default: every float output) */
  outputs?: string[];
  ep: string[];
  threads?: number;
  scratchDir: string;
  signal?: AbortSignal;
  progress?(fraction: number, message: string): void;
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** Why method auto cannot run on `count` calibration samples, if it cannot. */
export function autoSampleProblem(count: number): EdgeoptError | undefined {
  if (count >= 2) return undefined;
  return new EdgeoptError({
    code: 'E_QUANTIZE_CALIBRATION', kind: 'recipe',
    message: `calibration method auto holds half of the calibration samples out to choose the range rule, so it needs at least 2 samples; the calibration data gives ${count}`,
    hint: 'add calibration samples (a few dozen is typical), or set calibration.method to minmax, entropy or percentile',
  });
}

const energy = (x: Float32Array): number => {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]! * x[i]!;
  return sum;
};

/**
 * Per held-out sample, the worst counted output's SNR (dB) of `got` against `reference`. An output that is all zeros
 * in float (named in `silent`) has no SNR (any error would be -infinite dB) and is left out; a sample with no output
 * left is undefined.
 */
function sampleSnrs(reference: Outputs, got: Outputs, silent: Array<Set<string>>): Array<number | undefined> {
  return reference.map((ref, i) => {
    let worst: number | undefined;
    for (const [name, r] of Object.entries(ref)) {
      if (silent[i]!.has(name)) continue;
      const g = got[i]?.[name];
      const snr = g && g.length === r.length ? outputError(r, g, 'snr_db') : Number.NEGATIVE_INFINITY;
      worst = worst === undefined ? snr : Math.min(worst, snr);
    }
    return worst;
  });
}

export async function selectRangeRule(float: ModelProto, options: RangeSelectionOptions): Promise<RangeSelection> {
  const { halves, signal } = options;
  const tooFew = halves.length !== 2 ? autoSampleProblem(0) : autoSampleProblem(options.samples.length);
  if (tooFew) throw tooFew;
  // held-out samples of each half: sample i is in half i mod 2
  const heldOut = [0, 1].map((h) => options.samples.filter((_, i) => i % 2 === h).slice(0, HELD_OUT_PER_HALF));
  const runner = { ep: options.ep, scratchDir: options.scratchDir, ...(options.threads ? { threads: options.threads } : {}), ...(options.outputs ? { outputs: options.outputs } : {}) };
  // one run with every output tells a misnamed output from the real ones; then only the counted ones are kept
  const { outputs: _, ...everyOutput } = runner;
  const probe = await runOutputs(float, heldOut[0]!.slice(0, 1), everyOutput, signal);
  const unknown = unknownOutputsError(probe[0] ?? {}, options.outputs, 'with.calibration.outputs');
  if (unknown) throw unknown;
  if (Object.keys(probe[0] ?? {}).length === 0) {
    throw new EdgeoptError({
      code: 'E_QUANTIZE_CALIBRATION', kind: 'recipe',
      message: 'calibration method auto judges range rules by the model\'s float32 outputs against float, and this model has none',
      hint: 'set calibration.method to minmax, entropy or percentile',
    });
  }
  const reference: Outputs[] = [];
  for (const half of heldOut) reference.push(await runOutputs(float, half, runner, signal));
  const silent = reference.map((half) => half.map((sample) => new Set(Object.keys(sample).filter((name) => energy(sample[name]!) === 0))));
  if (reference.every((half, h) => half.every((sample, i) => silent[h]![i]!.size === Object.keys(sample).length))) {
    throw new EdgeoptError({
      code: 'E_QUANTIZE_CALIBRATION', kind: 'recipe',
      message: `calibration method auto judges range rules by the outputs' error against float, but every counted output is all zeros in float on the ${heldOut[0]!.length + heldOut[1]!.length} held-out calibration samples`,
      hint: 'give calibration samples on which the model outputs something, name other outputs in calibration.outputs, or set calibration.method to minmax, entropy or percentile',
    });
  }
  // ranges from half 1 - h, measured on half h
  const memos = halves.map(() => new Map<string, Map<string, ActivationRange>>());
  const scores: Array<RuleScore & { index: number; of: RangeRule }> = [];
  let evaluations = 0;
  const measure = async (rule: RangeRule): Promise<RuleScore & { index: number; of: RangeRule }> => {
    const snrs: Array<number | undefined> = [];
    for (const h of [0, 1]) {
      signal?.throwIfAborted();
      options.progress?.(Math.min(0.99, evaluations / (2 * MAX_RULES)), `range rule ${ruleLabel(rule)}, held-out half ${h + 1}/2`);
      const ranges = ruleRanges(halves[1 - h]!, rule, memos[1 - h]);
      const got = await runOutputs(options.build(ranges), heldOut[h]!, runner, signal);
      evaluations += 1;
      snrs.push(...sampleSnrs(reference[h]!, got, silent[h]!));
    }
    const counted = snrs.filter((s): s is number => s !== undefined);
    const finite = counted.map((s) => (Number.isFinite(s) ? s : s > 0 ? 200 : -200));
    const score = { index: scores.length, of: rule, rule: ruleLabel(rule), heldout_snr_db: round(finite.reduce((a, b) => a + b, 0) / finite.length), worst_sample_snr_db: round(Math.min(...finite)) };
    scores.push(score);
    return score;
  };
  // best mean first; equal means keep the order measured (simpler rules come first)
  const better = (a: RuleScore & { index: number }, b: RuleScore & { index: number }): boolean => a.heldout_snr_db > b.heldout_snr_db || (a.heldout_snr_db === b.heldout_snr_db && a.index < b.index);
  let best: (RuleScore & { index: number; of: RangeRule }) | undefined;
  for (const rule of START_RULES) {
    const s = await measure(rule);
    if (!best || better(s, best)) best = s;
  }
  // walk the grid from the best while a step improves it
  for (let moved = true; moved && scores.length < MAX_RULES; ) {
    moved = false;
    for (const next of neighbours(best!.of)) {
      if (scores.length >= MAX_RULES || scores.some((s) => s.rule === ruleLabel(next))) continue;
      const s = await measure(next);
      if (better(s, best!)) {
        best = s;
        moved = true;
      }
    }
  }
  scores.sort((a, b) => (better(a, b) ? -1 : 1));
  return {
    rule: best!.of, label: best!.rule, heldout_samples: heldOut[0]!.length + heldOut[1]!.length, evaluations,
    scores: scores.map(({ index: _, of: __, ...s }) => s),
  };
}

/** What method auto chose and how close the runners-up came, in one line for the step's log. */
export function rangeSelectionNote(s: RangeSelection): string {
  const [best, ...rest] = s.scores;
  const others = rest.slice(0, 3).map((r) => `${r.rule} ${r.heldout_snr_db} dB`).join(', ');
  const minmax = s.scores.find((r) => r.rule === 'minmax');
  return `calibration auto: range rule ${s.label}, ${best!.heldout_snr_db} dB SNR against float on ${s.heldout_samples} held-out calibration sample(s) (worst ${best!.worst_sample_snr_db} dB); next: ${others}${minmax && minmax !== best ? `; minmax ${minmax.heldout_snr_db} dB` : ''}`;
}
