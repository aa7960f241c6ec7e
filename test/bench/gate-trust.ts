// Gate trust: over N gate runs of an unchanged model, how many fail (false fails); of a 10% slower one, how many are caught.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { runBenchmark } from '../../src/ort/bench-runner.js';
import { SLOWER, UNCHANGED, writeMlp } from './gate-trust-models.js';

const RUNS = Number(process.env.GATE_TRUST_RUNS ?? 50);
/** SLO = calibration P90 × this: halfway (geometrically) between the unchanged model and one 10% slower */
const HEADROOM = Number(process.env.GATE_TRUST_HEADROOM ?? 1.05);
const BENCH = { warmup: 20, runs: 200, min_time_ms: 0 };
const CALIBRATION_RUNS = 3;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (v: number, digits = 4): number => Number(v.toFixed(digits));

interface GateRun {
  gate: 'absolute' | 'relative';
  model: 'unchanged' | 'slower';
  exit_code: number;
  /** the gated value: P90 in ms (absolute gate) or the speedup against the baseline (relative gate) */
  value: number;
  /** value / limit: above 1 (absolute) or below 1 (relative) the point estimate misses the SLO */
  value_over_limit: number;
  measurements: number;
  marginal: boolean;
  interval?: { lo: number; hi: number };
  /** size of the model the final benchmark measured: which candidate really ran */
  final_size_mb: number;
  wall_ms: number;
}

function recipe(name: string, model: string, limit: number): string {
  return `name: ${name}
model: ../models/${model}
target: { ep: [cpu], threads: 1 }
benchmark: { warmup: ${BENCH.warmup}, runs: ${BENCH.runs}, min_time_ms: ${BENCH.min_time_ms} }
gate: { retries: 2, confidence: 0.95 }
slo:
  latency.p90_ms: { max: ${limit} }
`;
}

/** Min speedup of the relative gate: halfway (geometrically) between 1 (unchanged) and 1/1.1 (10% slower). */
const MIN_SPEEDUP = Number(process.env.GATE_TRUST_MIN_SPEEDUP ?? 0.95);

/**
 * The relative gate: the source model is the unchanged MLP (the baseline), an exec step swaps in the candidate, and
 * the SLO is speedup_vs_baseline. Baseline and candidate are measured seconds apart in one build, so a slow spell of
 * the machine slows both, where an absolute limit set earlier cannot know about it.
 */
function relativeRecipe(name: string, candidate: string): string {
  return `name: ${name}
model: ../models/unchanged.onnx
steps:
  - id: candidate
    uses: exec
    with: { run: [cp, '{recipe_dir}/../models/${candidate}', '{out}/model.onnx'], inputs: [../models/${candidate}], outputs: { model: model.onnx } }
target: { ep: [cpu], threads: 1 }
benchmark: { warmup: ${BENCH.warmup}, runs: ${BENCH.runs}, min_time_ms: ${BENCH.min_time_ms} }
gate: { retries: 2, confidence: 0.95 }
slo:
  speedup_vs_baseline: { min: ${MIN_SPEEDUP} }
`;
}

/** One gate run as CI would do it: `edgeopt build` with an empty cache, so the model is measured afresh. */
async function gateRun(repo: string, project: string, which: GateRun['model'], gate: 'absolute' | 'relative' = 'absolute'): Promise<GateRun> {
  const file = gate === 'absolute' ? `recipes/${which}.yaml` : `relative/${which}.yaml`;
  const metric = gate === 'absolute' ? 'latency.p90_ms' : 'speedup_vs_baseline';
  const cache = await fs.mkdtemp(path.join(os.tmpdir(), 'edgeopt-trust-cache-'));
  const t0 = performance.now();
  try {
    const r = await execa(process.execPath, [path.join(repo, 'src/cli/bin.js'), 'build', file, '--json'], {
      cwd: project, reject: false, env: { CI: '1', EDGEOPT_CACHE_DIR: cache },
    });
    const report = (JSON.parse(String(r.stdout)) as { reports: Array<{ slo: Array<Record<string, any>>; final?: Record<string, number> }> }).reports[0]!;
    const v = report.slo.find((s) => s.metric === metric)!;
    return {
      gate, model: which, exit_code: r.exitCode ?? -1, value: round(v.value), value_over_limit: round(v.value / v.limit),
      measurements: v.interval?.measurements ?? 1, marginal: v.marginal === true,
      ...(v.interval ? { interval: { lo: round(v.interval.lo), hi: round(v.interval.hi) } } : {}),
      final_size_mb: round(report.final?.size_mb ?? Number.NaN, 3),
      wall_ms: Math.round(performance.now() - t0),
    };
  } finally {
    await fs.rm(cache, { recursive: true, force: true });
  }
}

/** How much slower the slower model is, by its own measurement: interleaved pairs, ratio of the medians. */
async function measureSlowdown(files: { unchanged: string; slower: string }, pairs = 8): Promise<Record<string, number>> {
  const p50 = { unchanged: [] as number[], slower: [] as number[] };
  const p90 = { unchanged: [] as number[], slower: [] as number[] };
  const min = { unchanged: [] as number[], slower: [] as number[] };
  for (let i = 0; i < pairs; i++) {
    for (const which of ['unchanged', 'slower'] as const) {
      const r = await runBenchmark({ modelPath: files[which], ep: ['cpu'], threads: 1, warmup: BENCH.warmup, runs: BENCH.runs, minTimeMs: 0, seed: i });
      p50[which].push(r.latency.p50_ms);
      p90[which].push(r.latency.p90_ms);
      min[which].push(r.latency.min_ms);
    }
  }
  return {
    pairs, unchanged_p50_ms: round(median(p50.unchanged)), slower_p50_ms: round(median(p50.slower)),
    slowdown_p50: round(median(p50.slower) / median(p50.unchanged)), slowdown_p90: round(median(p90.slower) / median(p90.unchanged)),
    // the fastest run is the one least touched by the rest of the machine: the model's own cost
    slowdown_min: round(median(min.slower) / median(min.unchanged)),
  };
}

function tally(runs: GateRun[], failing: 'false_fails' | 'catches'): Record<string, number> {
  const failed = runs.filter((r) => r.exit_code === 1).length;
  return {
    runs: runs.length, [failing]: failed, passed: runs.filter((r) => r.exit_code === 0).length,
    errors: runs.filter((r) => r.exit_code !== 0 && r.exit_code !== 1).length,
    [`${failing === 'catches' ? 'catch' : 'false_fail'}_rate`]: runs.length ? round(failed / runs.length, 3) : 0,
    remeasured: runs.filter((r) => r.measurements > 1).length, still_marginal: runs.filter((r) => r.marginal).length,
    measurements: runs.reduce((a, r) => a + r.measurements, 0), median_wall_ms: Math.round(median(runs.map((r) => r.wall_ms))),
  };
}

function summary(raw: GateRun[], slowdown: Record<string, number>, calibration: number[], limit: number): Record<string, unknown> {
  const arm = (gate: GateRun['gate']): Record<string, unknown> => ({
    unchanged: tally(raw.filter((r) => r.gate === gate && r.model === 'unchanged'), 'false_fails'),
    slower: tally(raw.filter((r) => r.gate === gate && r.model === 'slower'), 'catches'),
  });
  return {
    method: [
      `Models: an MLP of ${UNCHANGED.layers} layers (MatMul [${UNCHANGED.batch}, ${UNCHANGED.hidden}] × [${UNCHANGED.hidden}, ${UNCHANGED.hidden}] + Tanh), and the same with ${SLOWER.layers} layers (10% more MatMul work); the slowdown is measured below (interleaved pairs, ratio of the median P50, P90 and fastest run).`,
      `Absolute gate: ${CALIBRATION_RUNS} calibration gate runs of the unchanged model; the SLO is latency.p90_ms max = their median P90 × ${HEADROOM} (halfway between the unchanged and the 10% slower model: the tightest limit that should tell them apart).`,
      `Relative gate: the recipe's source model is the unchanged MLP, an exec step swaps in the candidate (a copy of it, or the slower one), and the SLO is speedup_vs_baseline min ${MIN_SPEEDUP} (halfway between 1 and 1/1.1); baseline and candidate are measured in the same build, seconds apart.`,
      `Each gate run is \`edgeopt build <recipe> --json\` with an empty cache (fresh measurements: warmup ${BENCH.warmup}, runs ${BENCH.runs}, 1 thread, cpu), gate retries 2 at 95%; the four (gate, model) pairs alternate. Exit 1 of the unchanged model is a false fail; exit 1 of the slower one a catch.`,
    ].join(' '),
    runs_per_model: RUNS,
    models: { unchanged: UNCHANGED, slower: SLOWER },
    measured_slowdown: slowdown,
    absolute: { calibration: { runs_p90_ms: calibration, median_p90_ms: round(median(calibration)), headroom: HEADROOM, limit_p90_ms: limit }, ...arm('absolute') },
    relative: { min_speedup: MIN_SPEEDUP, ...arm('relative') },
  };
}

export async function benchGateTrust(repo: string): Promise<Record<string, unknown>> {
  const project = await fs.mkdtemp(path.join(os.tmpdir(), 'edgeopt-trust-'));
  const started = performance.now();
  const loadBefore = os.loadavg();
  try {
    await fs.mkdir(path.join(project, 'models'));
    await fs.mkdir(path.join(project, 'recipes'));
    await fs.writeFile(path.join(project, 'edgeopt.config.json'), JSON.stringify({ recipes: ['recipes/*.yaml'] }));
    const files = {
      unchanged: await writeMlp(UNCHANGED, path.join(project, 'models/unchanged.onnx')),
      slower: await writeMlp(SLOWER, path.join(project, 'models/slower.onnx')),
    };
    const slowdown = await measureSlowdown(files);
    // calibration: gate runs of the unchanged model under a limit it cannot miss; the median P90, as a careful user
    // would read it off a few builds (one build alone on a busy machine can be several times off)
    await fs.writeFile(path.join(project, 'recipes/unchanged.yaml'), recipe('unchanged', 'unchanged.onnx', 1e6));
    const calibration: number[] = [];
    for (let i = 0; i < CALIBRATION_RUNS; i++) calibration.push((await gateRun(repo, project, 'unchanged')).value);
    const limit = round(median(calibration) * HEADROOM);
    await fs.writeFile(path.join(project, 'recipes/unchanged.yaml'), recipe('unchanged', 'unchanged.onnx', limit));
    await fs.writeFile(path.join(project, 'recipes/slower.yaml'), recipe('slower', 'slower.onnx', limit));
    await fs.mkdir(path.join(project, 'relative'));
    // the unchanged candidate is a byte-different copy: the same model's final benchmark would be the baseline's
    // cache record (same key), a speedup of exactly 1 that measures nothing
    await writeMlp(UNCHANGED, path.join(project, 'models/unchanged-copy.onnx'), 'mlp-copy');
    await fs.writeFile(path.join(project, 'relative/unchanged.yaml'), relativeRecipe('relative-unchanged', 'unchanged-copy.onnx'));
    await fs.writeFile(path.join(project, 'relative/slower.yaml'), relativeRecipe('relative-slower', 'slower.onnx'));
    const raw: GateRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      // interleaved, so a change in the machine's load over the run affects every arm alike
      for (const gate of ['absolute', 'relative'] as const) {
        for (const which of ['unchanged', 'slower'] as const) {
          raw.push(await gateRun(repo, project, which, gate));
          process.stderr.write(`gate-trust: ${raw.length}/${4 * RUNS} ${gate} ${which} exit ${raw.at(-1)!.exit_code}, ${raw.at(-1)!.measurements} measurement(s)\n`);
        }
      }
    }
    return {
      ...summary(raw, slowdown, calibration, limit),
      host_load_average: { before: loadBefore.map((v) => round(v, 2)), after: os.loadavg().map((v) => round(v, 2)) },
      wall_s: Math.round((performance.now() - started) / 1000),
      raw,
    };
  } finally {
    await fs.rm(project, { recursive: true, force: true });
  }
}
