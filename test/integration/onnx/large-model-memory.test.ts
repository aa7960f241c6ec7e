// Memory budget of read and write on a 128 MB model, measured in child processes: the model is never held twice.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const PROGRAM = 'test/integration/onnx/large-model-memory.ts';
const MB = 128;
const dir = mkdtempSync(path.join(tmpdir(), 'edgeopt-onnx-mem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Measure {
  stage: string;
  modelMb: number;
  peakRssMb: number;
}

const measure = (stage: string): Measure =>
  JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', PROGRAM, stage, dir, String(MB)], { encoding: 'utf8' }).trim().split('\n').pop() ?? '{}') as Measure;

describe(`peak memory on a ${MB} MB model`, () => {
  it('read costs about one copy of the file; writing (inline or external) adds only buffers, not a second copy', () => {
    measure('build');
    const baseline = measure('baseline');
    const read = measure('read');
    const copy = measure('copy');
    const external = measure('copy-external');
    const readExternal = measure('read-external');
    console.info(JSON.stringify({ baseline, read, copy, external, readExternal }));
    expect(read.modelMb).toBeGreaterThanOrEqual(MB);
    const overBaseline = (m: Measure): number => m.peakRssMb - baseline.peakRssMb;
    // one copy of the file plus decoding overhead; a second copy would add another ~128 MB
    for (const m of [read, copy, external, readExternal]) expect(overBaseline(m), m.stage).toBeLessThan(MB * 1.3);
  });
});
