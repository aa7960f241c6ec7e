// .npy files checked against numpy itself (/usr/bin/python3): what numpy writes we read, what we write numpy loads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFloat64 } from '../../../src/data/dtype-convert.js';
import { readNpy, writeNpy } from '../../../src/data/npy-io.js';
import { PYTHON, runPython } from '../onnx/python-onnx.js';

const numpy = spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
const root = mkdtempSync(path.join(os.tmpdir(), 'edgeopt-numpy-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// descr, format version, values: every one numpy writes in a single run
const CASES: Array<[string, [number, number], number[][]]> = [
  ['<f4', [1, 0], [[0.5, -1.25], [3, 1e-3]]], ['>f8', [2, 0], [[Math.PI], [-2]]], ['>i4', [3, 0], [[-7, 2 ** 30]]],
  ['<i8', [1, 0], [[-(2 ** 40), 5]]], ['|b1', [1, 0], [[1, 0, 1]]], ['<f2', [1, 0], [[0.5, -2, 65504]]], ['>u2', [2, 0], [[1, 258]]],
];
const fileOf = (i: number): string => path.join(root, `np-${i}.npy`);

describe.skipIf(!numpy)(`numpy interop ${numpy ? '' : '(SKIPPED: /usr/bin/python3 has no numpy; apt-get install -y python3-numpy)'}`, () => {
  beforeAll(() => {
    runPython([
      'import json, sys, numpy as np',
      'for i, (descr, version, values) in enumerate(json.loads(sys.argv[1])):',
      '  with open(f"{sys.argv[2]}/np-{i}.npy", "wb") as f: np.lib.format.write_array(f, np.array(values, dtype=descr), version=tuple(version))',
    ].join('\n'), [JSON.stringify(CASES), root]);
  });

  it.each(CASES.map((c, i) => [...c, i] as const))('reads numpy\'s %s written as format %j', async (descr, _version, values, i) => {
    const a = await readNpy(fileOf(i));
    expect(a.shape).toEqual([values.length, values[0]!.length]);
    const got = Array.from(toFloat64(a.data, a.dtype));
    // float16 and float32 round; everything else is exact
    got.forEach((g, k) => expect(g).toBeCloseTo(values.flat()[k]!, descr.endsWith('f4') || descr.endsWith('f2') ? 3 : 12));
  });

  it('numpy loads what writeNpy writes: dtype, shape and values', async () => {
    await writeNpy(path.join(root, 'i8.npy'), { dtype: 'int64', shape: [2, 3], data: BigInt64Array.of(1n, -2n, 3n, 2n ** 50n, 0n, -1n) });
    await writeNpy(path.join(root, 'b1.npy'), { dtype: 'bool', shape: [3], data: Uint8Array.of(1, 0, 1) });
    const out = runPython('import sys, numpy as np\nfor f in sys.argv[1:]:\n  a = np.load(f)\n  print(a.dtype.str, list(a.shape), a.tolist())',
      [path.join(root, 'i8.npy'), path.join(root, 'b1.npy')]).trim().split('\n');
    expect(out).toEqual([`<i8 [2, 3] [[1, -2, 3], [${2 ** 50}, 0, -1]]`, '|b1 [3] [True, False, True]']);
  });
});
