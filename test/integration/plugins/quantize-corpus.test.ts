// Dynamic INT8 swept over every model of ONNX's backend corpus that has a MatMul, Gemm or Conv: each one is either
// quantized into a model ORT loads whose outputs stay close to the original's (and to the corpus's expected outputs),
// passed on unchanged with a reason per node, or refused with an EdgeoptError because ORT cannot run the original.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModelBytes, walkNodes } from '../../../src/onnx/index.js';
import { CORPUS_DIR, listCases } from '../onnx/backend-corpus.js';
import { pythonOnnxAvailable, runPython } from '../../unit/onnx/python-onnx.js';
import { removeTestTmpDirs } from '../ort/step-context.js';
import type { QuantizeParams } from '../../../plugins/quantize/params.js';
import { corpusCases, sweepCase, withWeightsAsInitializers, type SweepCase, type SweepOutcome } from './quantize-corpus.js';

afterAll(removeTestTmpDirs);

const TARGET_OPS = new Set(['MatMul', 'Gemm', 'Conv']);
const cases = listCases().filter((c) => {
  const graph = decodeModelBytes(readFileSync(path.join(c.dir, 'model.onnx'))).graph;
  if (!graph) return false;
  for (const { node } of walkNodes(graph)) if (!node.domain && TARGET_OPS.has(node.op_type ?? '')) return true;
  return false;
});
const installed = cases.length > 0;
const title = installed
  ? `dynamic INT8 over ONNX's corpus (${cases.length} models with MatMul/Gemm/Conv, plus node/ ones with constant weights)`
  : `dynamic INT8 over ONNX's corpus [SKIPPED: not installed at ${CORPUS_DIR}; apt-get install -y libonnx-testdata]`;

// a corpus node case feeds its weights as inputs, so it can only be passed on; the same graph with the weights
// as initializers (values from its own test data) is what real exports look like, and is quantized
async function allCases(): Promise<SweepCase[]> {
  const node = cases.filter((c) => c.suite === 'node');
  const promoted = await Promise.all(node.map((c) => withWeightsAsInitializers(c.suite, c.name)));
  return [...cases.flatMap((c) => corpusCases(c.suite, [c.name])), ...promoted];
}

/** The sweep's property over all outcomes, and its figures on the console. `bound`: largest error / output range. */
function expectClose(outcomes: SweepOutcome[], label: string, bound = 0.02): void {
  const by = (status: SweepOutcome['status']) => outcomes.filter((o) => o.status === status);
  const quantized = by('quantized') as Extract<SweepOutcome, { status: 'quantized' }>[];
  const skipped = by('skipped') as Extract<SweepOutcome, { status: 'skipped' }>[];
  const refused = by('refused') as Extract<SweepOutcome, { status: 'refused' }>[];
  const reasons = new Map<string, number>();
  for (const s of skipped) for (const r of s.reasons) {
    const kind = r.replace(/'[^']*'/g, "'…'").replace(/rank \d+/, 'rank n');
    reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
  }
  console.log(`corpus sweep (${label}): ${outcomes.length} models, ${quantized.length} quantized, ${skipped.length} passed on unchanged, ${refused.length} refused\n`
    + `  worst quantized output error: ${Math.max(...quantized.map((q) => q.vsOriginal.relMax)).toFixed(4)} of the output range, `
    + `cosine ≥ ${Math.min(...quantized.map((q) => q.vsOriginal.cosine)).toFixed(6)}\n`
    + [...reasons].map(([r, n]) => `  skipped ×${n}: ${r}`).join('\n') + '\n'
    + refused.map((r) => `  refused ${r.id}: ${r.code} ${r.message}`).join('\n'));

  for (const q of quantized) {
    // dynamic INT8 of one op: error within 2% of the output's range (4% with 7-bit weights), direction all but exact
    expect(q.vsOriginal.relMax, q.id).toBeLessThan(bound);
    expect(q.vsOriginal.cosine, q.id).toBeGreaterThan(0.999);
    expect(q.vsCorpus.relMax, q.id).toBeLessThan(bound);
  }
  for (const s of skipped) {
    expect(s.reasons.length, s.id).toBeGreaterThan(0);
    expect(s.vsOriginal.relMax, s.id).toBeLessThan(1e-5);
  }
  // a refusal is only ever ORT failing on the original model, reported as such (never blamed on the quantizer)
  for (const r of refused) expect([r.id, r.code, r.originalLoads]).toEqual([r.id, 'E_MODEL_LOAD', false]);
  // PyTorch's old exports (IR 3) list their weights as graph inputs: ORT runs them as constants, so are they quantized
  const legacyConv = outcomes.filter((o) => o.id.startsWith('pytorch-converted/test_Conv'));
  expect(legacyConv.length).toBeGreaterThan(20);
  expect(legacyConv.every((o) => o.status === 'quantized')).toBe(true);
  expect(quantized.length).toBeGreaterThan(outcomes.length / 2);
}

describe.skipIf(!installed)(title, () => {
  it('quantizes into models ORT loads with close outputs, or says why not', async () => {
    const outcomes: SweepOutcome[] = [];
    for (const c of await allCases()) outcomes.push(await sweepCase(c));
    expectClose(outcomes, 'defaults: int8 symmetric per channel');
  });

  // the weight variants a recipe can ask for: each must give a model ORT both loads and runs
  it.each([
    ['uint8 weights', { weight_type: 'uint8' }],
    ['asymmetric int8 weights', { symmetric: false }],
    ['per-tensor 7-bit weights', { per_channel: false, reduce_range: true }],
  ] as Array<[string, Partial<QuantizeParams>]>)('with %s too', async (name, extra) => {
    const outcomes: SweepOutcome[] = [];
    for (const c of await allCases()) outcomes.push(await sweepCase(c, extra));
    expectClose(outcomes, name, extra.reduce_range ? 0.04 : 0.02);
  });

  it.skipIf(!pythonOnnxAvailable())('writes quantized models that onnx.checker (full_check) accepts', async () => {
    const picks = (await allCases()).filter((c) => /test_Conv2d$|test_Conv3d_groups|test_gemm_transposeB\+|test_matmul_2d\+/.test(c.id));
    const files: string[] = [];
    for (const c of picks) {
      const o = await sweepCase(c);
      expect(o.status, c.id).toBe('quantized');
      if (o.status === 'quantized') files.push(o.file);
    }
    const out = runPython('import onnx, sys\nfor f in sys.argv[1:]:\n  onnx.checker.check_model(f, full_check=True)\nprint(len(sys.argv) - 1)', files);
    expect(Number(out.trim())).toBe(picks.length);
  });
});

