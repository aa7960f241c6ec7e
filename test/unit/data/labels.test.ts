// Eval labels from .npy (class ids or float targets) and from data.jsonl lines, read a batch at a time, with their errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLabels, readLabels } from '../../../src/data/labels.js';
import { writeNpy } from '../../../src/data/npy-io.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'edgeopt-labels-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const folder = (): string => mkdtempSync(path.join(root, 'l-'));

function jsonl(dir: string, labels: unknown[]): string {
  const file = path.join(dir, 'data.jsonl');
  writeFileSync(file, labels.map((label, i) => JSON.stringify({ inputs: { x: `s${i}.npy` }, ...(label === undefined ? {} : { label }) })).join('\n'));
  return file;
}

describe('labels from .npy', () => {
  it('integer ids are class labels; rows are read on demand', async () => {
    const file = path.join(folder(), 'labels.npy');
    await writeNpy(file, { dtype: 'int64', shape: [5], data: BigInt64Array.of(4n, 0n, 2n, 2n, 1n) });
    const labels = await openLabels(file);
    expect(labels).toMatchObject({ file, kind: 'class', count: 5, sampleShape: [] });
    expect(await labels.read(1, 3)).toEqual(Float64Array.of(0, 2, 2));
  });

  it('float arrays are targets, one [3] row per sample', async () => {
    const file = path.join(folder(), 'targets.npy');
    await writeNpy(file, { dtype: 'float32', shape: [2, 3], data: Float32Array.of(0.5, 1, 1.5, -1, 0, 0.25) });
    const labels = await openLabels(file);
    expect(labels).toMatchObject({ kind: 'target', count: 2, sampleShape: [3] });
    expect(await labels.read(1, 1)).toEqual(Float64Array.of(-1, 0, 0.25));
    expect(await readLabels(file)).toMatchObject({ integral: false, values: Float64Array.of(0.5, 1, 1.5, -1, 0, 0.25) });
  });

  it('a 0-d array has no sample axis', async () => {
    const file = path.join(folder(), 'scalar.npy');
    await writeNpy(file, { dtype: 'int32', shape: [], data: Int32Array.of(3) });
    await expect(openLabels(file)).rejects.toMatchObject({ code: 'E_DATA_LABELS', message: expect.stringMatching(/labels must have a sample axis: shape \[N\] or \[N, \.\.\.\]/) });
  });
});

describe('labels from data.jsonl', () => {
  it('whole numbers are class ids', async () => {
    const labels = await openLabels(jsonl(folder(), [3, 0, 1]));
    expect(labels).toMatchObject({ kind: 'class', count: 3, sampleShape: [] });
    expect(await labels.read(0, 3)).toEqual(Float64Array.of(3, 0, 1));
  });

  it('a fraction or a list makes the labels targets', async () => {
    expect((await openLabels(jsonl(folder(), [1, 2.5]))).kind).toBe('target');
    const lists = await openLabels(jsonl(folder(), [[1, 2], [3, 4]]));
    expect(lists).toMatchObject({ kind: 'target', sampleShape: [2] });
    expect(await lists.read(1, 1)).toEqual(Float64Array.of(3, 4));
  });

  it('a .npy label per line: its header gives shape and kind up front, its data is read with its batch', async () => {
    const dir = folder();
    await writeNpy(path.join(dir, 'l0.npy'), { dtype: 'float32', shape: [2], data: Float32Array.of(1, 2) });
    await writeNpy(path.join(dir, 'l1.npy'), { dtype: 'float32', shape: [2], data: Float32Array.of(3, 4) });
    const labels = await openLabels(jsonl(dir, ['l0.npy', 'l1.npy']));
    expect(labels).toMatchObject({ kind: 'target', count: 2, sampleShape: [2] });
    expect(await labels.read(1, 1)).toEqual(Float64Array.of(3, 4));
  });

  it.each([
    ['a line without a label', [1, undefined, 2], /data\.jsonl:2: this sample has no "label", but the recipe takes labels from this file/],
    ['labels of different shapes', [[1, 2], [1, 2], [1, 2, 3]], /data\.jsonl:3: the label has shape \[3\], the label on line 1 has \[2\]/],
    ['a ragged list', [[[1, 2], [3]]], /data\.jsonl:1: "label" must be a number or a rectangular list of numbers/],
    ['a list of strings', [['a']], /"label" must be a number or a rectangular list/],
  ])('%s', async (_name, values, message) => {
    await expect(openLabels(jsonl(folder(), values))).rejects.toMatchObject({ code: 'E_DATA_LABELS', message: expect.stringMatching(message) });
  });
});
