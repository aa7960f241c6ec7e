// External data written by onnx itself (fixture from onnx 1.12): we read the values it stored and ORT agrees after our round trip.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { DataType, decodeTensor, readModel, writeModel } from '../../../src/onnx/index.js';

const FIXTURE = 'test/fixtures/onnx/external-mlp';
const dir = mkdtempSync(path.join(tmpdir(), 'edgeopt-onnx-foreign-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(file: string): Promise<number[]> {
  const session = await ort.InferenceSession.create(file, { logSeverityLevel: 3 });
  const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(0.5, -1, 2, 0.25), [1, 4]) });
  await session.release();
  return [...(out.y!.data as Float32Array)];
}

describe('external data written by onnx.save_model', () => {
  it('loads every weight with the values onnx stored (float32, float16, int64)', async () => {
    const expected = JSON.parse(readFileSync(path.join(FIXTURE, 'expected.json'), 'utf8')) as Record<string, number[]>;
    const model = await readModel(path.join(FIXTURE, 'model.onnx'));
    const byName = new Map(model.graph!.initializer.map((t) => [t.name, t]));
    expect(byName.get('w2')!.data_type).toBe(DataType.FLOAT16);
    for (const [name, values] of Object.entries(expected)) {
      const decoded = [...(decodeTensor(byName.get(name)!) as Iterable<number | bigint>)].map(Number);
      expect(decoded, name).toEqual(name === 'w2' || name === 'shape' ? values : values.map((v) => Math.fround(v)));
    }
  });

  it('runs the same in ORT after being rewritten inline and with our own external layout', async () => {
    const original = await run(path.join(FIXTURE, 'model.onnx'));
    const model = await readModel(path.join(FIXTURE, 'model.onnx'));
    await writeModel(model, path.join(dir, 'inline.onnx'), { externalData: false });
    await writeModel(model, path.join(dir, 'external.onnx'), { externalData: { threshold: 64 } });
    expect(await run(path.join(dir, 'inline.onnx'))).toEqual(original);
    expect(await run(path.join(dir, 'external.onnx'))).toEqual(original);
  });
});
