// External data: writing one aligned data file, reading it back, the 2 GiB rule, and locations that must be refused.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DataLocation, decodeTensor, encodeMessage, encodeModel, externalDataRef, loadExternalData, readModel, writeModel,
  type ModelProto, type TensorProto,
} from '../../../src/onnx/index.js';
import { graph, mlpModel, model, nestedIfModel, weights } from './model-fixtures.js';

const root = mkdtempSync(path.join(tmpdir(), 'edgeopt-onnx-ext-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = (): string => {
  const dir = path.join(root, `case${counter++}`);
  mkdirSync(dir);
  return dir;
};

/** A model whose initializer 'w' points at `location` (offset/length given), for the refusal tests. */
function pointingAt(location: string, extra: Record<string, string> = {}): ModelProto {
  const w: TensorProto = {
    name: 'w', dims: [4], data_type: 1, data_location: DataLocation.EXTERNAL,
    external_data: [{ key: 'location', value: location }, ...Object.entries(extra).map(([key, value]) => ({ key, value }))],
  };
  return model(graph({ initializer: [w], output: [{ name: 'w' }] }));
}

/** Writes a forged model as is (encodeMessage does not refuse unloaded external references, unlike writeModel). */
async function writeRaw(dir: string, m: ModelProto): Promise<string> {
  const file = path.join(dir, 'model.onnx');
  writeFileSync(file, encodeMessage('ModelProto', m));
  return file;
}

describe('writeModel with external data', () => {
  it('moves initializers ≥ threshold into one file with 4096-aligned offsets', async () => {
    const dir = freshDir();
    const m = mlpModel();
    m.graph!.initializer.push(weights('big', [3000]), weights('tiny', [2]));
    const file = path.join(dir, 'm.onnx');
    const result = await writeModel(m, file, { externalData: { threshold: 60 } });
    expect(readdirSync(dir).sort()).toEqual(['m.onnx', 'm.onnx.data']);
    expect(result.externalData).toMatchObject({ location: 'm.onnx.data', tensors: 3 });
    const stored = await readModel(file, { externalData: 'keep' });
    const byName = new Map(stored.graph!.initializer.map((t) => [t.name, t]));
    for (const name of ['W1', 'W2', 'big']) {
      const t = byName.get(name)!;
      expect(t.data_location).toBe(DataLocation.EXTERNAL);
      expect(t.raw_data).toBeUndefined();
      expect(externalDataRef(t).offset % 4096).toBe(0);
    }
    expect(byName.get('tiny')!.raw_data?.length).toBe(8);
    expect(byName.get('b1')!.data_location).toBeUndefined();
    expect(statSync(path.join(dir, 'm.onnx.data')).size).toBe(result.externalData!.bytes);
    const back = await readModel(file);
    expect(Buffer.from(encodeModel(back)).equals(Buffer.from(encodeModel(m)))).toBe(true);
  });

  it('externalizes initializers inside If/Loop bodies too', async () => {
    const dir = freshDir();
    const m = nestedIfModel();
    const thenGraph = m.graph!.node.find((n) => n.op_type === 'If')!.attribute[0]!.g!;
    thenGraph.initializer.push(weights('inner', [512]));
    await writeModel(m, path.join(dir, 'n.onnx'), { externalData: { threshold: 1024 } });
    const stored = await readModel(path.join(dir, 'n.onnx'), { externalData: 'keep' });
    const inner = stored.graph!.node.find((n) => n.op_type === 'If')!.attribute[0]!.g!.initializer[0]!;
    expect(inner.data_location).toBe(DataLocation.EXTERNAL);
    const loaded = await readModel(path.join(dir, 'n.onnx'));
    const again = loaded.graph!.node.find((n) => n.op_type === 'If')!.attribute[0]!.g!.initializer[0]!;
    expect(decodeTensor(again)).toEqual(decodeTensor(weights('inner', [512])));
  });

  it("'auto' goes external only past the protobuf limit; false refuses with E_MODEL_TOO_LARGE", async () => {
    const dir = freshDir();
    const m = mlpModel();
    m.graph!.initializer.push(weights('big', [3000]));
    const small = await writeModel(m, path.join(dir, 'a.onnx'));
    expect(small.externalData).toBeUndefined();
    const limit = small.bytes - 1;
    const forced = await writeModel(m, path.join(dir, 'b.onnx'), { maxProtobufBytes: limit });
    // only 'big' reaches the default 1024-byte threshold
    expect(forced.externalData?.tensors).toBe(1);
    expect(forced.bytes).toBeLessThanOrEqual(limit);
    await expect(writeModel(m, path.join(dir, 'c.onnx'), { externalData: false, maxProtobufBytes: limit }))
      .rejects.toMatchObject({ code: 'E_MODEL_TOO_LARGE' });
    expect(() => encodeModel(m, { maxProtobufBytes: limit })).toThrowError(/more than protobuf's limit/);
    // when even the external layout is too big, the error says so instead of writing a file nobody can load
    await expect(writeModel(m, path.join(dir, 'd.onnx'), { maxProtobufBytes: 100 })).rejects.toMatchObject({ code: 'E_MODEL_TOO_LARGE' });
  });

  it('refuses a data location that is not a plain file name', async () => {
    await expect(writeModel(mlpModel(), path.join(freshDir(), 'm.onnx'), { externalData: { location: '../w.bin' } }))
      .rejects.toMatchObject({ code: 'E_MODEL_WRITE' });
  });
});

describe('reading external data', () => {
  const payload = Buffer.from(new Float32Array([1, 2, 3, 4]).buffer);

  it('reads location/offset/length relative to the model folder', async () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'w.bin'), Buffer.concat([Buffer.alloc(10), payload]));
    const file = await writeRaw(dir, pointingAt('w.bin', { offset: '10', length: '16' }));
    const m = await readModel(file);
    const w = m.graph!.initializer[0]!;
    expect([...(decodeTensor(w) as Float32Array)]).toEqual([1, 2, 3, 4]);
    expect(w.data_location).toBeUndefined();
    // the same bytes given as a buffer need a folder
    await expect(readModel(readFileSync(file))).rejects.toMatchObject({ code: 'E_MODEL_EXTERNAL_DATA' });
    expect((await readModel(readFileSync(file), { baseDir: dir })).graph!.initializer[0]!.raw_data?.length).toBe(16);
  });

  it.each([
    ['../outside.bin', /escapes the model's folder/],
    ['sub/../../outside.bin', /escapes the model's folder/],
    ['/etc/passwd', /absolute path/],
    ['missing.bin', /cannot be opened/],
  ])('refuses location %s with E_MODEL_EXTERNAL_DATA', async (location, message) => {
    const dir = freshDir();
    writeFileSync(path.join(root, 'outside.bin'), payload);
    const file = await writeRaw(dir, pointingAt(location));
    const failure = readModel(file);
    await expect(failure).rejects.toMatchObject({ code: 'E_MODEL_EXTERNAL_DATA', kind: 'step' });
    await expect(failure).rejects.toThrowError(message);
  });

  it('refuses a symlink that leads out of the folder', async () => {
    const dir = freshDir();
    writeFileSync(path.join(root, 'secret.bin'), payload);
    symlinkSync(path.join(root, 'secret.bin'), path.join(dir, 'link.bin'));
    await expect(readModel(await writeRaw(dir, pointingAt('link.bin')))).rejects.toThrowError(/resolves through a link/);
  });

  it('refuses ranges past the end of the file and sizes that do not match the tensor', async () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'w.bin'), payload);
    await expect(readModel(await writeRaw(dir, pointingAt('w.bin', { offset: '8', length: '16' })))).rejects.toThrowError(/asks for bytes 8..24/);
    await expect(readModel(await writeRaw(dir, pointingAt('w.bin', { length: '12' })))).rejects.toThrowError(/stores 12 bytes where .* need 16/);
    await expect(readModel(await writeRaw(dir, pointingAt('w.bin', { offset: '-1' })))).rejects.toThrowError(/not a non-negative integer/);
  });

  it("'keep' leaves references; writeModel then refuses until loadExternalData runs", async () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'w.bin'), payload);
    const file = await writeRaw(dir, pointingAt('w.bin'));
    const kept = await readModel(file, { externalData: 'keep' });
    await expect(writeModel(kept, path.join(dir, 'out.onnx'))).rejects.toMatchObject({ code: 'E_MODEL_WRITE' });
    expect(await loadExternalData(kept, dir)).toBe(1);
    await writeModel(kept, path.join(dir, 'out.onnx'));
    expect([...(decodeTensor((await readModel(path.join(dir, 'out.onnx'))).graph!.initializer[0]!) as Float32Array)]).toEqual([1, 2, 3, 4]);
  });
});
