// Opset imports: lookup, set, safe upgrade; the schema-history table is checked against onnx 1.12's own registry.
import { describe, expect, it } from 'vitest';
import {
  opSchemaVersion, opsetUpgradeBlockers, opsetVersion, upgradeOpset, withOpsetImport,
} from '../../../src/onnx/index.js';
import { OP_SCHEMA_VERSIONS } from '../../../src/onnx/opset-history.js';
import { graph, model, node } from './model-fixtures.js';
import { pythonOnnxAvailable, runPython, SKIP_PYTHON } from './python-onnx.js';

const withOps = (opset: number, ...ops: string[]) => model(graph({ node: ops.map((op, i) => node(op, [`i${i}`], [`o${i}`])) }), opset);

describe('opset imports', () => {
  it("treats '' and 'ai.onnx' as the default domain", () => {
    const m = withOps(13, 'Relu');
    m.opset_import.push({ domain: 'com.microsoft', version: 1 });
    expect([opsetVersion(m), opsetVersion(m, 'ai.onnx'), opsetVersion(m, 'com.microsoft'), opsetVersion(m, 'x')]).toEqual([13, 13, 1, undefined]);
  });

  it('withOpsetImport replaces the import, raises ir_version when needed, and leaves the input alone', () => {
    const m = withOps(13, 'Relu');
    const next = withOpsetImport(m, 'ai.onnx', 21);
    expect([opsetVersion(next), next.ir_version, opsetVersion(m), m.ir_version]).toEqual([21, 10, 13, 8]);
    expect(withOpsetImport(m, 'com.example', 2).opset_import).toHaveLength(2);
  });

  it('knows which schema version an op runs as', () => {
    expect([opSchemaVersion('Squeeze', 12), opSchemaVersion('Squeeze', 13), opSchemaVersion('Relu', 5), opSchemaVersion('Nope', 9)])
      .toEqual([11, 13, 1, undefined]);
  });
});

describe('upgradeOpset', () => {
  it('raises the import when no used op changed in between', () => {
    const up = upgradeOpset(withOps(13, 'MatMul', 'Softmax', 'Gemm'), 17);
    expect([opsetVersion(up), up.ir_version]).toEqual([17, 8]);
    expect(upgradeOpset(up, 11)).toBe(up);
  });

  it('refuses, naming each op and the versions at which it changed', () => {
    const m = withOps(11, 'Squeeze', 'Relu', 'Abs', 'MatMul', 'MyCustomOp');
    expect(opsetUpgradeBlockers(m, 11, 13)).toEqual([
      { opType: 'Abs', changedAt: [13] }, { opType: 'MatMul', changedAt: [13] }, { opType: 'MyCustomOp', changedAt: [] },
      { opType: 'Relu', changedAt: [13] }, { opType: 'Squeeze', changedAt: [13] },
    ]);
    expect(() => upgradeOpset(m, 13)).toThrowError(expect.objectContaining({
      code: 'E_OPSET_UPGRADE', message: expect.stringContaining('Squeeze (changed at 13)'), hint: expect.stringContaining('version_converter'),
    }));
  });
});

describe.skipIf(!pythonOnnxAvailable())(`schema history vs onnx 1.12 ${pythonOnnxAvailable() ? '' : SKIP_PYTHON}`, () => {
  it('lists the same versions for every default-domain op up to opset 17', () => {
    const python = JSON.parse(runPython(`
import json, onnx.defs, collections
d = collections.defaultdict(list)
for s in onnx.defs.get_all_schemas_with_history():
    if s.domain in ('', 'ai.onnx'): d[s.name].append(s.since_version)
print(json.dumps({k: sorted(v) for k, v in d.items()}))`)) as Record<string, number[]>;
    expect(Object.keys(python).length).toBeGreaterThan(150);
    for (const [op, versions] of Object.entries(python)) {
      expect((OP_SCHEMA_VERSIONS.get(op) ?? []).filter((v) => v <= 17), op).toEqual(versions);
    }
  });
});
