// ONNX's own backend test corpus (Debian libonnx-testdata): every case ORT passes must still pass after our round trip.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeModelBytes, encodeModel } from '../../../src/onnx/index.js';
import { CORPUS_DIR, listCases, runCase, type CaseOutcome } from './backend-corpus.js';

const cases = listCases();
const title = cases.length > 0
  ? `ONNX backend corpus at ${CORPUS_DIR} (${cases.length} cases)`
  : `ONNX backend corpus [SKIPPED: not installed at ${CORPUS_DIR}; apt-get install -y libonnx-testdata, or set ONNX_TESTDATA_DIR]`;

describe.skipIf(cases.length === 0)(title, () => {
  it('decode → encode → decode gives the same message for every model of the corpus', () => {
    for (const c of cases) {
      const file = path.join(c.dir, 'model.onnx');
      const model = decodeModelBytes(readFileSync(file), file);
      const again = decodeModelBytes(encodeModel(model), file);
      expect(again, c.name).toEqual(model);
    }
  });

  it('every case ORT passes on the original model also passes after read → write, with identical outputs', async () => {
    ort.env.logLevel = 'error';
    const outcomes: Array<{ name: string; outcome: CaseOutcome }> = [];
    for (const c of cases) outcomes.push({ name: `${c.suite}/${c.name}`, outcome: await runCase(c) });
    const count = (status: CaseOutcome['status']): number => outcomes.filter((o) => o.outcome.status === status).length;
    const passed = count('pass');
    const regressed = outcomes.filter((o) => o.outcome.status === 'regressed');
    const changed = outcomes.filter((o) => o.outcome.status === 'pass' && !o.outcome.identicalToOriginal);
    console.info(
      `libonnx-testdata: ${outcomes.length} cases, ${count('skipped')} skipped (non-tensor I/O or types ort-node lacks), ` +
        `${count('ort-fails')} fail in ORT on the original, ${passed + regressed.length} pass before the round trip, ` +
        `${passed} pass after (${passed - changed.length} bit-identical to the original run)`,
    );
    expect(regressed.map((r) => `${r.name}: ${'reason' in r.outcome ? r.outcome.reason : ''}`)).toEqual([]);
    // random ops (Bernoulli, training Dropout) fail before the round trip, so every passing case must be bit-identical
    expect(changed.map((c) => c.name)).toEqual([]);
    // guards the harness itself: ORT 1.30 passes 959 of the 1072 cases of onnx 1.12's corpus with this comparison
    expect(passed).toBeGreaterThan(0.8 * outcomes.length);
  });
});
