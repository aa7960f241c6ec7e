// Graph edits checked by real runtimes: ORT runs the edited models, onnx's checker validates the orders we produce.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeModel, pruneModel, sortGraph, withGraphOutputs, writeModel, type ModelProto } from '../../../src/onnx/index.js';
import { mlpModel, nestedIfModel, node } from '../../unit/onnx/model-fixtures.js';
import { pythonOnnxAvailable, runPython, SKIP_PYTHON } from '../../unit/onnx/python-onnx.js';

const dir = mkdtempSync(path.join(tmpdir(), 'edgeopt-onnx-tiny-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(model: ModelProto, x: number[]): Promise<Record<string, number[]>> {
  const session = await ort.InferenceSession.create(encodeModel(model), { logSeverityLevel: 3 });
  const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from(x), [x.length]) });
  await session.release();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...(v.data as Float32Array)]]));
}

describe('nested If/Loop model built in code', () => {
  it('runs both branches in ORT: then = x·2³ through the Loop, else = x', async () => {
    expect(await run(nestedIfModel(), [1, 2])).toEqual({ y: [8, 16] });
    expect(await run(nestedIfModel(), [-1, -2])).toEqual({ y: [-1, -2] });
  });

  it('still runs the same after dead code is added and pruned', async () => {
    const m = nestedIfModel();
    m.graph!.node.push(node('Relu', ['x'], ['dead']));
    const { model: pruned, removedNodes } = pruneModel(m);
    expect(removedNodes).toBe(1);
    expect(await run(pruned, [1, 2])).toEqual({ y: [8, 16] });
  });

  it('exposes the If condition as an extra output ORT can fetch', async () => {
    const session = await ort.InferenceSession.create(encodeModel(withGraphOutputs(nestedIfModel(), ['cond', 's'])), { logSeverityLevel: 3 });
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2), [2]) });
    expect([out.cond!.type, out.cond!.data[0], out.s!.data[0]]).toEqual(['bool', 1, 3]);
  });
});

describe.skipIf(!pythonOnnxAvailable())(`topological order vs onnx.checker ${pythonOnnxAvailable() ? '' : SKIP_PYTHON}`, () => {
  it('the checker rejects a reversed MLP and accepts it after sortGraph', async () => {
    const m = mlpModel();
    const reversed = { ...m, graph: { ...m.graph!, node: [...m.graph!.node].reverse() } };
    const bad = path.join(dir, 'reversed.onnx');
    const good = path.join(dir, 'sorted.onnx');
    await writeModel(reversed, bad);
    await writeModel({ ...reversed, graph: sortGraph(reversed.graph!) }, good);
    const check = 'import onnx, sys\ntry:\n  onnx.checker.check_model(sys.argv[1], full_check=True); print("ok")\nexcept Exception as e: print("rejected")';
    expect(runPython(check, [bad]).trim()).toBe('rejected');
    expect(runPython(check, [good]).trim()).toBe('ok');
  });
});
