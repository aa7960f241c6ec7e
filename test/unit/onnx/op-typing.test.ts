// Op typing table: parsed lookups, and the table itself regenerated from onnx 1.12's schemas (the generator lives here).
import { describe, expect, it } from 'vitest';
import { OP_TYPING_TABLE, opTyping, slotAt } from '../../../src/onnx/op-typing.js';
import { pythonOnnxAvailable, runPython, SKIP_PYTHON } from './python-onnx.js';

// Prints the table: one entry per (op, since) whose encoded typing differs from the op's previous version.
const GENERATOR = `
import onnx.defs, collections
rows = collections.defaultdict(list)
for s in onnx.defs.get_all_schemas_with_history():
    if s.domain not in ('', 'ai.onnx') or s.deprecated: continue
    cons = {t.type_param_str: t.allowed_type_strs for t in s.type_constraints}
    bad = s.name not in ('Identity', 'If', 'Loop', 'Scan') and any(any(a.startswith(('seq(', 'optional(', 'map(')) for a in al) for al in cons.values())
    def slot(p):
        t = p.typeStr
        code = t if t in cons else '=f' if t == 'tensor(float)' else '=x'
        opt = str(p.option)
        if opt.endswith('Variadic'): code += '*' if p.isHomogeneous else '~'
        return code
    if bad: sig = '!'
    else:
        flags = [n + (':h' if 'tensor(float16)' in al else ':f') for n, al in sorted(cons.items()) if 'tensor(float)' in al]
        sig = ','.join(slot(p) for p in s.inputs) + '>' + ','.join(slot(p) for p in s.outputs) + ('|' + ','.join(flags) if flags else '')
    rows[s.name].append((s.since_version, sig))
out = []
for name in sorted(rows):
    prev = None
    for v, sig in sorted(rows[name]):
        if sig != prev: out.append(f'{name}@{v}:{sig}' if sig != '!' else f'{name}@{v}!')
        prev = sig
print(' '.join(out))
`;

describe('op typing', () => {
  it('finds the typing an op runs with under an opset, and variadic slots cover every later index', () => {
    const resize = opTyping('Resize', 13)!;
    expect(resize.since).toBe(11);
    expect(resize.inputs.map((s) => s.kind)).toEqual(['var', 'var', 'float', 'other']);
    expect(resize.vars.get('T1')).toBe('float16');
    expect(opTyping('Range', 13)!.vars.get('T')).toBe('float');
    expect(opTyping('LayerNormalization', 17)!.vars.get('U')).toBe('float');
    const concat = opTyping('Concat', 13)!;
    expect(slotAt(concat.inputs, 7)).toEqual({ kind: 'var', name: 'T', variadic: 'homogeneous' });
    expect(slotAt(opTyping('Add', 14)!.inputs, 2)).toBeUndefined();
    expect(opTyping('SequenceAt', 13)!.tensorTyped).toBe(false);
    expect(opTyping('NoSuchOp', 13)).toBeUndefined();
    expect(opTyping('Gelu', 19)).toBeUndefined();
    expect(opTyping('Gelu', 20)!.vars.get('T')).toBe('float16');
  });

  it("corrects onnx 1.12's GridSample-16 (the spec types X and Y by T1, the grid by T2)", () => {
    const g = opTyping('GridSample', 16)!;
    expect([...g.inputs, ...g.outputs].map((s) => (s.kind === 'var' ? s.name : s.kind))).toEqual(['T1', 'T2', 'T1']);
  });
});

describe.skipIf(!pythonOnnxAvailable())(`op typing vs onnx 1.12 ${pythonOnnxAvailable() ? '' : SKIP_PYTHON}`, () => {
  it('is exactly what the generator prints from get_all_schemas_with_history()', () => {
    const generated = runPython(GENERATOR).trim().split(' ');
    const table = OP_TYPING_TABLE.trim().split(' ');
    expect(generated.length).toBeGreaterThan(180);
    expect(table).toEqual(generated);
  });
});
