// Accuracy and fidelity SLOs through the real CLI: a labelled dataset gates a build, both baseline and final values reach report.json.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/data/npy-io.js';
import { encodeModel } from '../../src/onnx/index.js';
import { identityWeights, linearModel, threeClassData } from '../integration/plugins/evaluate-models.js';
import { makeProject, QUICK_BENCH, REPO, runCli } from './cli-harness.js';

const validateReport = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(await fs.readFile(path.join(REPO, 'schemas/report.schema.json'), 'utf8')));
const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await fs.rm(d, { recursive: true, force: true }); });

// 10 samples, 7 labelled with the class the model predicts: top-1 is exactly 0.7
const { x, labels } = threeClassData(10, 7);
const FILES = {
  'models/clf.onnx': Buffer.from(encodeModel(linearModel(identityWeights(4, 3), 4, 3, { head: 'softmax' }))),
  'data/eval/x.npy': Buffer.from(encodeNpy({ dtype: 'float32', shape: [10, 4], data: x })),
  'data/eval/labels.npy': Buffer.from(encodeNpy({ dtype: 'int64', shape: [10], data: labels })),
};

const recipe = (slo: string, data = '  eval: { source: ../data/eval, labels: ../data/eval/labels.npy }'): string => `name: clf
model: ../models/clf.onnx
data:
${data}
steps:
  - id: opt
    uses: optimize
    with: { level: basic }
target: { ep: [cpu], threads: 1 }
${QUICK_BENCH}
slo:
${slo}
`;

async function build(text: string): Promise<{ exitCode: number; stdout: string; stderr: string; dir: string }> {
  const dir = await makeProject({ ...FILES, 'recipes/clf.yaml': text });
  dirs.push(dir);
  return { ...(await runCli(['build'], dir)), dir };
}

const reportOf = async (dir: string): Promise<Record<string, any>> => JSON.parse(await fs.readFile(path.join(dir, '.edgeopt/out/clf/report.json'), 'utf8'));

describe('accuracy SLOs through edgeopt build', () => {
  it('0 when top-1 meets its bound; baseline and final are both evaluated and reported', async () => {
    const r = await build(recipe('  accuracy.top1: { min: 0.6, max_drop: 0.01 }\n  fidelity.cosine: { min: 0.999 }'));
    expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /);
    expect(r.exitCode).toBe(0);
    const report = await reportOf(r.dir);
    expect(report.status).toBe('pass');
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.baseline['accuracy.top1']).toBe(0.7);
    expect(report.final['accuracy.top1']).toBe(0.7);
    expect(report.final['fidelity.cosine']).toBeCloseTo(1, 6);
    const byBound = Object.fromEntries(report.slo.map((v: any) => [`${v.metric}/${v.bound}`, v]));
    expect(byBound['accuracy.top1/max_drop']).toMatchObject({ status: 'pass', value: 0.7, baseline: 0.7, location: { line: 12 } });
    expect(byBound['accuracy.top1/min']).toMatchObject({ status: 'pass', value: 0.7 });
    const steps = Object.fromEntries(report.steps.map((s: any) => [s.kind, s]));
    expect(steps['eval-baseline'].metrics).toMatchObject({ samples: 10, accuracy: { top1: 0.7 } });
    expect(steps['eval-final'].metrics).toMatchObject({ samples: 10, accuracy: { top1: 0.7 }, reference: { same_model: false } });
    expect(report.warnings.join('\n')).toMatch(/eval-baseline, eval-final: accuracy\.top5 not computed: output "probs" scores only 3 classes/);
    expect(r.stdout).toMatch(/PASS\s+accuracy\.top1/);
  });

  it('1 when the bound is out of reach, with the verdict and the measured value in report.json', async () => {
    const r = await build(recipe('  accuracy.top1: { min: 0.9 }'));
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+accuracy\.top1/);
    const report = await reportOf(r.dir);
    expect(report.status).toBe('fail');
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.slo).toEqual([expect.objectContaining({ metric: 'accuracy.top1', bound: 'min', limit: 0.9, value: 0.7, status: 'fail', location: expect.objectContaining({ line: 12 }) })]);
  });

  it('2 before anything runs when an accuracy SLO has no labels to be measured with', async () => {
    const r = await build(recipe('  accuracy.top1: { min: 0.5 }', '  eval: { source: ../data/eval }'));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/recipes\/clf\.yaml:12:3\s+E_EVAL_NO_LABELS/);
    expect(r.stderr).toMatch(/needs labels, but `data\.eval` has none/);
    await expect(fs.access(path.join(r.dir, '.edgeopt/out'))).rejects.toThrow();
  });
});
