// Opening recipe datasets: stacked .npy per input, data.jsonl manifests, seeded random data, pinned constants, and errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../../src/data/dataset.js';
import { writeNpy } from '../../../src/data/npy-io.js';
import type { InputSpec } from '../../../src/ort/input-specs.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'edgeopt-dataset-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const folder = (name: string): string => mkdtempSync(path.join(root, `${name}-`));

const X: InputSpec = { name: 'x', dtype: 'float32', shape: [1, 3] };
const SR: InputSpec = { name: 'sr', dtype: 'int64', shape: [], value: 16000 };

describe('openDataset', () => {
  it('stacked: one .npy per input, axis 0 = sample, pinned inputs constant; batches cover every sample once', async () => {
    const dir = folder('stacked');
    await writeNpy(path.join(dir, 'x.npy'), { dtype: 'float32', shape: [5, 3], data: Float32Array.from({ length: 15 }, (_, i) => i) });
    const ds = await openDataset({ source: dir, samples: 100 }, [X, SR], 'calibration');
    expect(ds).toMatchObject({ layout: 'stacked', samples: 5, available: 5, sources: { x: 'stacked', sr: 'constant' } });
    const seen: number[] = [];
    for await (const batch of ds.batches(2)) {
      for (const s of batch) {
        expect(s.x!.dims).toEqual([1, 3]);
        expect(s.sr!.data).toEqual(BigInt64Array.of(16000n));
        seen.push((s.x!.data as Float32Array)[0]!);
      }
    }
    expect(seen).toEqual([0, 3, 6, 9, 12]);
  });

  it('the recipe\'s samples cap what is read', async () => {
    const dir = folder('cap');
    await writeNpy(path.join(dir, 'x.npy'), { dtype: 'float32', shape: [5, 1, 3], data: new Float32Array(15) });
    expect((await openDataset({ source: dir, samples: 2 }, [X], 'eval')).samples).toBe(2);
  });

  it('manifest: a file per sample, paths relative to the folder', async () => {
    const dir = folder('jsonl');
    for (const i of [0, 1, 2]) await writeNpy(path.join(dir, `s${i}.npy`), { dtype: 'float32', shape: [1, 3], data: Float32Array.of(i, i, i) });
    writeFileSync(path.join(dir, 'data.jsonl'), [0, 1, 2].map((i) => JSON.stringify({ inputs: { x: `s${i}.npy` }, label: i })).join('\n'));
    const ds = await openDataset({ source: dir, samples: 16 }, [X], 'eval');
    expect(ds).toMatchObject({ layout: 'files', samples: 3 });
    expect((await ds.read(1, 5)).map((s) => (s.x!.data as Float32Array)[0])).toEqual([1, 2]);
  });

  it('random: seeded, repeatable, as many samples as asked', async () => {
    const a = await openDataset({ seed: 7, samples: 3 }, [X], 'calibration');
    const b = await openDataset({ seed: 7, samples: 3 }, [X], 'calibration');
    expect(a).toMatchObject({ layout: 'random', samples: 3 });
    expect((await a.read(0, 3)).map((s) => [...(s.x!.data as Float32Array)])).toEqual((await b.read(0, 3)).map((s) => [...(s.x!.data as Float32Array)]));
  });

  it('names the input with no data, and files whose sample counts differ', async () => {
    const dir = folder('missing');
    await expect(openDataset({ source: dir, samples: 4 }, [X], 'calibration')).rejects.toMatchObject({
      code: 'E_DATA_MISSING_INPUT', message: expect.stringMatching(/no data for model input "x" \(looked for data.jsonl and x.npy\)/),
    });
    const two = folder('rows');
    const Y: InputSpec = { name: 'y', dtype: 'float32', shape: [2] };
    await writeNpy(path.join(two, 'x.npy'), { dtype: 'float32', shape: [4, 3], data: new Float32Array(12) });
    await writeNpy(path.join(two, 'y.npy'), { dtype: 'float32', shape: [3, 2], data: new Float32Array(6) });
    await expect(openDataset({ source: two, samples: 4 }, [X, Y], 'eval')).rejects.toMatchObject({ code: 'E_DATA_SAMPLES' });
  });

  it('a stacked file of the wrong shape is an error naming the input and both shapes', async () => {
    const dir = folder('shape');
    await writeNpy(path.join(dir, 'x.npy'), { dtype: 'float32', shape: [4, 5], data: new Float32Array(20) });
    await expect(openDataset({ source: dir, samples: 4 }, [X], 'calibration')).rejects.toMatchObject({
      code: 'E_DATA_SHAPE', message: expect.stringMatching(/x.npy has shape \[4, 5\].*model input "x" takes \[1, 3\]/),
    });
  });

  it('without `samples` (eval files) every sample is evaluated', async () => {
    const dir = folder('all');
    await writeNpy(path.join(dir, 'x.npy'), { dtype: 'float32', shape: [7, 3], data: new Float32Array(21) });
    expect(await openDataset({ source: dir }, [X], 'eval')).toMatchObject({ samples: 7, available: 7 });
  });

  it('manifest: names the line whose sample lacks an input, and a per-sample file of the wrong shape', async () => {
    const dir = folder('jsonl-bad');
    await writeNpy(path.join(dir, 'a.npy'), { dtype: 'float32', shape: [3], data: new Float32Array(3) });
    await writeNpy(path.join(dir, 'b.npy'), { dtype: 'float32', shape: [2, 3], data: new Float32Array(6) });
    writeFileSync(path.join(dir, 'data.jsonl'), '{"inputs": {"x": "a.npy"}}\n{"inputs": {"y": "a.npy"}}\n');
    await expect(openDataset({ source: dir, samples: 4 }, [X], 'eval')).rejects.toMatchObject({
      code: 'E_DATA_MANIFEST', message: expect.stringMatching(/data\.jsonl:2: this eval sample has no file for model input "x" \(its inputs: y\)/),
    });
    writeFileSync(path.join(dir, 'data.jsonl'), '{"inputs": {"x": "a.npy"}}\n{"inputs": {"x": "b.npy"}}\n');
    const ds = await openDataset({ source: dir }, [X], 'eval');
    expect((await ds.read(0, 1))[0]!.x!.dims).toEqual([1, 3]); // [3] fits [1, 3]: the batch axis merged
    await expect(ds.read(1, 1)).rejects.toMatchObject({ code: 'E_DATA_SHAPE', message: expect.stringMatching(/b\.npy has shape \[2, 3\] \(it holds one sample of \[2, 3\]\)/) });
  });

  it('float64 data feeds a float32 input; integer data for a float input is refused', async () => {
    const dir = folder('dtype');
    await writeNpy(path.join(dir, 'x.npy'), { dtype: 'float64', shape: [1, 3], data: Float64Array.of(0.1, 2, 3) });
    const [s] = await (await openDataset({ source: dir }, [X], 'eval')).read(0, 1);
    expect(s!.x!.data).toEqual(Float32Array.of(0.1, 2, 3));
    await writeNpy(path.join(dir, 'x.npy'), { dtype: 'int32', shape: [1, 3], data: Int32Array.of(1, 2, 3) });
    await expect((await openDataset({ source: dir }, [X], 'eval')).read(0, 1)).rejects.toMatchObject({
      code: 'E_DATA_DTYPE', message: expect.stringMatching(/x\.npy is int32, model input "x" is float32: int32 data cannot feed a float32 input/),
    });
  });
});
