// YAML parsing: syntax errors and duplicate keys at exact line:column, and the pointer → place map.
import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../../../src/recipe/yaml-source.js';

const at = (text: string): string[] =>
  parseYamlText('/p/r.yaml', text).errors.map((e) => `${e.location?.line}:${e.location?.column} ${e.code}`);

describe('YAML syntax errors', () => {
  it.each([
    ['unclosed quote points at the quote', "name: x\nmodel: 'm.onnx\n", ['2:8 E_YAML_SYNTAX']],
    ['tab indentation', 'name: x\ntarget:\n\tthreads: 4\n', ['3:1 E_YAML_SYNTAX']],
    ['unclosed flow list points at the bracket', 'name: x\ntarget:\n  ep: [cpu, xnnpack\nslo: {}\n', ['3:7 E_YAML_SYNTAX']],
    ['compact nested mapping', 'name: x: y\nmodel: m.onnx\n', ['1:7 E_YAML_SYNTAX']],
    ['two documents', 'name: x\n---\nname: y\n', ['2:1 E_YAML_SYNTAX']],
    ['every error of the file, one per line', 'name: x\ntarget:\n  threads: 4\n    ep: [cpu]\nslo:\n  size_mb: {max: 1\n',
      ['3:12 E_YAML_SYNTAX', '6:12 E_YAML_SYNTAX']],
    ['duplicate keys, nested and top level', 'name: a\ntarget:\n  threads: 1\n  threads: 2\nname: b\n',
      ['4:3 E_DUPLICATE_KEY', '5:1 E_DUPLICATE_KEY']],
    ['duplicate keys in a flow mapping', 'slo: { size_mb: {max: 1}, size_mb: {max: 2} }\n', ['1:27 E_DUPLICATE_KEY']],
    ['a list as a key', '? [a]\n: 1\n', ['1:3 E_YAML_SYNTAX']],
  ])('%s', (_name, text, expected) => {
    expect(at(text)).toEqual(expected);
  });

  it('says which key is duplicated and where it first was, with a hint', () => {
    const [e] = parseYamlText('/p/r.yaml', 'name: a\nmodel: m\nname: b\n').errors;
    expect(e?.message).toBe('key `name` appears twice at the top level (first on line 1)');
    expect(e?.hint).toMatch(/only the last/);
    expect(e?.location).toEqual({ file: '/p/r.yaml', line: 3, column: 1, lineText: 'name: b' });
  });

  it('still returns the document next to non-syntax errors, so the rest of the file is checked', () => {
    const parsed = parseYamlText('/p/r.yaml', 'name: a\nname: b\nmodel: m\n');
    expect(parsed.doc?.value).toEqual({ name: 'a', model: 'm' });
  });

  it('an empty file is a null document located at 1:1', () => {
    const parsed = parseYamlText('/p/r.yaml', '');
    expect(parsed.errors).toEqual([]);
    expect(parsed.doc?.value).toBeNull();
    expect(parsed.doc?.locs.get('')?.value).toMatchObject({ line: 1, column: 1 });
  });
});

describe('pointer → place map', () => {
  const text = [
    'name: vad',                          // 1
    'model:',                             // 2
    '  path: ./m.onnx',                   // 3
    '  inputs: { input: [1, 512] }',      // 4
    'steps:',                             // 5
    '  - id: opt',                        // 6
    '    uses: optimize',                 // 7
    'slo:',                               // 8
    '  "latency.p90_ms": { max: 12 }',    // 9
    'empty:',                             // 10
    'base: &b { threads: 2 }',            // 11
    'target: *b',                         // 12
    'a/b~c: 1',                           // 13
  ].join('\n');
  const doc = parseYamlText('/p/r.yaml', text).doc!;
  const place = (pointer: string, which: 'key' | 'value'): string => {
    const loc = doc.locs.get(pointer)?.[which];
    return loc ? `${loc.line}:${loc.column}` : 'none';
  };

  it.each([
    ['/name', '1:1', '1:7'],
    ['/model', '2:1', '3:3'],
    ['/model/path', '3:3', '3:9'],
    ['/model/inputs/input', '4:13', '4:20'],
    ['/model/inputs/input/1', 'none', '4:24'],
    ['/steps/0', 'none', '6:5'],
    ['/steps/0/uses', '7:5', '7:11'],
    ['/slo/latency.p90_ms/max', '9:23', '9:28'],
    ['/empty', '10:1', '10:7'],
    ['/target/threads', '11:12', '11:21'],
    ['/a~1b~0c', '13:1', '13:8'],
  ])('%s: key at %s, value at %s', (pointer, key, value) => {
    expect(place(pointer, 'key')).toBe(key);
    expect(place(pointer, 'value')).toBe(value);
  });

  it('keeps the line text for a caret', () => {
    expect(doc.locs.get('/model/path')?.value.lineText).toBe('  path: ./m.onnx');
  });

  it('resolves aliases and keeps JSON values', () => {
    expect(doc.value).toMatchObject({ target: { threads: 2 }, empty: null, 'a/b~c': 1, model: { inputs: { input: [1, 512] } } });
  });
});

describe('hostile YAML', () => {
  it('a byte-order mark does not shift the columns of line 1', () => {
    const parsed = parseYamlText('/p/r.yaml', '\uFEFFnme: a\n');
    expect(parsed.doc?.locs.get('/nme')?.key).toMatchObject({ line: 1, column: 1, lineText: 'nme: a' });
  });

  it('CRLF line endings keep lines and columns', () => {
    const doc = parseYamlText('/p/r.yaml', 'name: a\r\nslo:\r\n  size_mb: { max: 1 }\r\n').doc!;
    expect(doc.locs.get('/slo/size_mb/max')?.value).toMatchObject({ line: 3, column: 19, lineText: '  size_mb: { max: 1 }' });
  });

  it('merges `<<` mappings (own keys win, earlier merges win) and places merged values at the anchor', () => {
    const text = [
      'base: &b { max: 1, min: 0 }',          // 1
      'more: &m { max: 9, max_drop: 0.1 }',   // 2
      'a:',                                   // 3
      '  <<: [*b, *m]',                       // 4
      '  min: 5',                             // 5
      '"<<": quoted',                         // 6
    ].join('\n');
    const parsed = parseYamlText('/p/r.yaml', text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.doc!.value).toMatchObject({ a: { max: 1, min: 5, max_drop: 0.1 }, '<<': 'quoted' });
    const place = (p: string): string => { const l = parsed.doc!.locs.get(p)!.value; return `${l.line}:${l.column}`; };
    expect([place('/a/max'), place('/a/min'), place('/a/max_drop')]).toEqual(['1:17', '5:8', '2:30']);
  });

  it('refuses `<<` of something that is not a mapping', () => {
    expect(at('a: &l [1]\nb:\n  <<: *l\n')).toEqual(['3:7 E_YAML_SYNTAX']);
  });

  it('stops an alias bomb at the alias that starts it, instead of expanding 9^9 values', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h'], ['h', 'i']]) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const started = performance.now();
    const parsed = parseYamlText('/p/r.yaml', `${levels.join('\n')}\n`);
    expect(performance.now() - started).toBeLessThan(5000); // not a timing target: without the limit this never ends
    expect(parsed.doc).toBeUndefined();
    expect(parsed.errors.map((e) => `${e.location?.line}:${e.location?.column} ${e.code}`)).toEqual(['5:8 E_YAML_ALIAS']);
    expect(parsed.errors[0]?.message).toMatch(/more than 10000 values/);
  });

  it('names an alias that contains itself', () => {
    expect(at('x: &a [1, *a]\n')).toEqual(['1:11 E_YAML_ALIAS']);
    expect(at('x: &a { b: { <<: *a } }\n')).toEqual(['1:18 E_YAML_ALIAS']);
  });

  it('nesting beyond the limit is an error, never a silent null', () => {
    const text = `x: ${'['.repeat(70)}1${']'.repeat(70)}\n`;
    const parsed = parseYamlText('/p/r.yaml', text);
    expect(parsed.doc).toBeUndefined();
    expect(parsed.errors.map((e) => e.code)).toEqual(['E_YAML_SYNTAX']);
    expect(parsed.errors[0]?.message).toMatch(/nested more than 64 levels/);
  });
});
