// Real models that are not the happy path, through the real CLI: old exports, and files that are not models at all.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataType, encodeModel } from '../../src/onnx/index.js';
import { makeModel, makeNode, tensorValueInfo } from '../../src/onnx/model-builder.js';
import { makeProject, QUICK_BENCH, runCli, WAKEWORD } from './cli-harness.js';

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await fs.rm(d, { recursive: true, force: true }); });

async function project(files: Record<string, string | Buffer | { copy: string }>): Promise<string> {
  const dir = await makeProject(files);
  dirs.push(dir);
  return dir;
}

const recipe = (steps: string): string => `name: m
model: ../models/model.onnx
${steps}
target: { ep: [cpu], threads: 1 }
${QUICK_BENCH}
slo:
  size_mb: { max: 10 }
`;

// PyTorch's opset-6, IR-3 export of one Conv: every weight is also listed as a graph input
const LEGACY_CONV = '/usr/share/libonnx-testdata/data/pytorch-converted/test_Conv2d/model.onnx';

describe.skipIf(!existsSync(LEGACY_CONV))(`an opset-6 PyTorch export ${existsSync(LEGACY_CONV) ? '' : '[SKIPPED: apt-get install -y libonnx-testdata]'}`, () => {
  it('optimizes and quantizes it, with ORT\'s own log lines kept off the terminal', async () => {
    const steps = 'steps:\n  - id: opt\n    uses: optimize\n    with: { level: basic }\n  - id: q\n    uses: quantize\n    with: { precision: int8, mode: dynamic, op_types: [Conv] }';
    const dir = await project({ 'models/model.onnx': { copy: LEGACY_CONV }, 'recipes/m.yaml': recipe(steps) });
    const r = await runCli(['build'], dir);
    expect(r.exitCode, r.stderr).toBe(0);
    // ORT warns about opset < 7 on every session it opens; that text belongs to ORT's log, not to our output
    expect(r.stderr + r.stdout).not.toMatch(/onnxruntime:|\[W:/);
    const report = JSON.parse(await fs.readFile(path.join(dir, '.edgeopt/out/m/report.json'), 'utf8'));
    const q = report.steps.find((s: { id: string }) => s.id === 'q');
    expect(q.metrics.quantized).toEqual({ Conv: 1 });
  });
});

describe('a model with a dynamic dim the recipe does not pin', () => {
  it('is exit 2 at the recipe\'s model: line before anything runs, from validate and build alike', async () => {
    const dynamic = encodeModel(makeModel({
      nodes: [makeNode('Relu', ['x'], ['y'])],
      inputs: [tensorValueInfo('x', DataType.FLOAT, ['batch', 8])],
      outputs: [tensorValueInfo('y', DataType.FLOAT, ['batch', 8])],
    }));
    const dir = await project({ 'models/model.onnx': Buffer.from(dynamic), 'recipes/m.yaml': recipe('') });
    for (const command of ['validate', 'build']) {
      const r = await runCli([command], dir);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr.match(/E_DYNAMIC_DIM/g)).toHaveLength(1);
      expect(r.stderr).toMatch(/recipes\/m\.yaml:2:1 {2}E_DYNAMIC_DIM {2}model input x \[batch, 8\] has dynamic dims that the recipe does not pin\n[\s\S]*hint: .*model\.inputs\.x: \[1, 8\]/);
    }
    await expect(fs.access(path.join(dir, '.edgeopt/cache/ac'))).rejects.toThrow(); // no task ran
    // pinned, the same recipe builds
    await fs.writeFile(path.join(dir, 'recipes/m.yaml'), recipe('').replace('model: ../models/model.onnx', 'model: { path: ../models/model.onnx, inputs: { x: [2, 8] } }'));
    expect((await runCli(['build'], dir)).exitCode).toBe(0);
  });

  it('a pin for an input the model lacks is exit 2 at that pin', async () => {
    const dir = await project({
      'models/model.onnx': { copy: WAKEWORD },
      'recipes/m.yaml': recipe('').replace('model: ../models/model.onnx', 'model:\n  path: ../models/model.onnx\n  inputs:\n    audio: [1, 16, 96]'),
    });
    const r = await runCli(['validate'], dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/recipes\/m\.yaml:5:5 {2}E_PIN_UNKNOWN_INPUT {2}model\.inputs\.audio: the model has no input named "audio"/);
  });
});

describe('an EP this machine lacks', () => {
  it('is reported as unavailable, without ORT\'s raw log line about the missing provider library', async () => {
    const steps = 'steps:\n  - id: opt\n    uses: optimize\n    with: { level: basic }';
    const dir = await project({ 'models/model.onnx': { copy: WAKEWORD }, 'recipes/m.yaml': recipe(steps).replace('ep: [cpu]', 'ep: [cuda, cpu]') });
    const r = await runCli(['build'], dir);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/cuda is not bundled with onnxruntime-node/);
    expect(r.stderr + r.stdout).not.toMatch(/onnxruntime:|provider_bridge/);
  });
});
