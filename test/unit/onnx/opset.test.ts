// Opset imports: lookup, set, safe upgrade; the schema-history table is checked against onnx 1.12's own registry.
import { describe, expect, it } from 'vitest';
import {
  attrInt, getAttribute, makeAttribute, opSchemaVersion, opsetUpgradeBlockers, opsetVersion, raiseIrVersion, upgradeOpset, withOpsetImport,
} from '../../../src/onnx/index.js';
import { convertOpset } from '../../../src/onnx/opset-convert.js';
import { OP_SCHEMA_VERSIONS } from '../../../src/onnx/opset-history.js';
import { floatInfo, graph, model, node, weights } from './model-fixtures.js';
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

  it('raiseIrVersion drops initializers from the inputs when it crosses IR 4 (before it they were constants, after it overridable)', () => {
    // an IR 3 export lists its weight W as an input too, as IR 3 requires
    const legacy = { ...model(graph({
      node: [node('MatMul', ['x', 'W'], ['y'])], initializer: [weights('W', [4, 2])],
      input: [floatInfo('x', [1, 4]), floatInfo('W', [4, 2])], output: [floatInfo('y', [1, 2])],
    }), 6), ir_version: 3 };
    const raised = raiseIrVersion(legacy, 6);
    expect([raised.ir_version, raised.graph!.input.map((i) => i.name), raised.graph!.initializer.map((t) => t.name)]).toEqual([6, ['x'], ['W']]);
    expect(legacy.graph!.input.map((i) => i.name)).toEqual(['x', 'W']);
    // from IR 4 on, an initializer listed as an input was put there on purpose: it stays
    const modern = { ...legacy, ir_version: 4 };
    expect(raiseIrVersion(modern, 8).graph!.input.map((i) => i.name)).toEqual(['x', 'W']);
    expect(raiseIrVersion(legacy, 3)).toBe(legacy);
    // withOpsetImport raises IR the same way
    expect(withOpsetImport(legacy, '', 11).graph!.input.map((i) => i.name)).toEqual(['x']);
  });

  it('converts an opset-6 Gemm (broadcast attribute) to opset 11', () => {
    const gemm = node('Gemm', ['x', 'B', 'C'], ['y'], { attribute: [makeAttribute('broadcast', { int: 1 }), makeAttribute('transB', { int: 1 })] });
    const converted = convertOpset(model(graph({ node: [gemm], initializer: [weights('B', [2, 4]), weights('C', [2])] }), 6), 11);
    const out = converted.model.graph!.node[0]!;
    expect([opsetVersion(converted.model), getAttribute(out, 'broadcast'), attrInt(out, 'transB')]).toEqual([11, undefined, 1]);
    expect(converted.converted).toEqual([expect.objectContaining({ opType: 'Gemm', version: 7 })]);
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
