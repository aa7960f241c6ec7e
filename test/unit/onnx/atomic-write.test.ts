// writeModel is atomic: a failure half-way leaves the previous file (and data file) untouched and no temp files behind.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readModel, writeModel } from '../../../src/onnx/index.js';
import { writeFileAtomic } from '../../../src/onnx/atomic-file.js';
import { mlpModel, weights } from './model-fixtures.js';

const dir = mkdtempSync(path.join(tmpdir(), 'edgeopt-onnx-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An AbortSignal look-alike that aborts at its n-th check, i.e. in the middle of writing. */
function abortAfter(checks: number): AbortSignal {
  let seen = 0;
  return {
    get aborted(): boolean {
      return seen > checks;
    },
    throwIfAborted(): void {
      seen += 1;
      if (seen > checks) throw new Error('aborted mid-write');
    },
  } as AbortSignal;
}

function bigModel(): ReturnType<typeof mlpModel> {
  const m = mlpModel();
  for (let i = 0; i < 8; i++) m.graph!.initializer.push(weights(`extra${i}`, [70_000]));
  return m;
}

describe('atomic writes', () => {
  it('leaves no temp files after a successful write, and replaces the old file in one step', async () => {
    const file = path.join(dir, 'ok.onnx');
    writeFileSync(file, 'old');
    const result = await writeModel(mlpModel(), file);
    expect(readdirSync(dir).filter((f) => f.includes('ok.onnx'))).toEqual(['ok.onnx']);
    expect(readFileSync(file).length).toBe(result.bytes);
    expect((await readModel(file)).graph!.node.length).toBe(4);
  });

  it('keeps the previous model and data file when writing fails half-way', async () => {
    const file = path.join(dir, 'keep.onnx');
    await writeModel(bigModel(), file, { externalData: { threshold: 1024 } });
    const before = readFileSync(file);
    const dataBefore = readFileSync(`${file}.data`);
    const changed = bigModel();
    changed.graph!.initializer.push(weights('more', [100_000]));
    // 0 and 5 stop inside the data file (~17 pieces), 25 inside the model file after the data file is complete
    for (const checks of [0, 5, 25]) {
      await expect(writeModel(changed, file, { externalData: { threshold: 1024 }, signal: abortAfter(checks) }))
        .rejects.toThrowError(/aborted mid-write/);
      expect(readFileSync(file).equals(before)).toBe(true);
      expect(readFileSync(`${file}.data`).equals(dataBefore)).toBe(true);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }
  });

  it('writeFileAtomic removes its temp file when the writer throws', async () => {
    const file = path.join(dir, 'x.bin');
    await expect(writeFileAtomic(file, async (h) => {
      await h.write(Buffer.from('partial'));
      throw new Error('disk full');
    })).rejects.toThrowError('disk full');
    expect(readdirSync(dir).filter((f) => f.includes('x.bin'))).toEqual([]);
  });
});
