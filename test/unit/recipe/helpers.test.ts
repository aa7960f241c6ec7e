// The small pure pieces: deep merge with places, did-you-mean, JSON pointers, step dependency cycles.
import { describe, expect, it } from 'vitest';
import { mergeAll, mergeLocated } from '../../../src/recipe/deep-merge.js';
import { closest, suggest } from '../../../src/recipe/did-you-mean.js';
import type { LocatedDoc } from '../../../src/recipe/located-doc.js';
import { displayPath, join, split, valueAt } from '../../../src/recipe/pointer.js';
import { effectiveNeeds, findCycles } from '../../../src/recipe/step-needs.js';
import { parseYamlText } from '../../../src/recipe/yaml-source.js';

const doc = (file: string, text: string): LocatedDoc => parseYamlText(file, text).doc!;

describe('mergeLocated', () => {
  const base = doc('/base.yaml', 'a: { x: 1, y: [1, 2] }\nb: 1\nc: { deep: { k: 1 } }\n');
  const over = doc('/over.yaml', 'a: { y: [3] }\nc: 5\nd: { e: 1 }\n');
  const merged = mergeLocated(base, over);

  it('merges maps, replaces lists and scalars, and a scalar may replace a map', () => {
    expect(merged.value).toEqual({ a: { x: 1, y: [3] }, b: 1, c: 5, d: { e: 1 } });
  });

  it.each([
    ['/a/x', '/base.yaml'], ['/a/y', '/over.yaml'], ['/a/y/0', '/over.yaml'], ['/b', '/base.yaml'], ['/c', '/over.yaml'], ['/d/e', '/over.yaml'],
  ])('%s comes from %s', (pointer, file) => {
    expect(merged.locs.get(pointer)?.value.file).toBe(file);
  });

  it('drops places of replaced values', () => {
    expect(merged.locs.has('/a/y/1')).toBe(false);
    expect(merged.locs.has('/c/deep/k')).toBe(false);
  });

  it('leaves its inputs alone', () => {
    expect(base.value).toEqual({ a: { x: 1, y: [1, 2] }, b: 1, c: { deep: { k: 1 } } });
  });

  it('mergeAll folds left to right', () => {
    expect(mergeAll([doc('/1', 'a: 1\nb: 1\n'), doc('/2', 'b: 2\nc: 2\n'), doc('/3', 'c: 3\n')]).value).toEqual({ a: 1, b: 2, c: 3 });
    expect(mergeAll([]).value).toEqual({});
  });

  it('treats keys like __proto__ and toString as plain keys', () => {
    const m = mergeLocated(doc('/1', 'toString: 1\n'), doc('/2', '__proto__: { polluted: true }\n'));
    expect(Object.keys(m.value as object)).toEqual(['toString', '__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('did you mean', () => {
  it.each([
    ['thredas', ['threads', 'format', 'ep'], 'threads'],
    ['Threads', ['threads'], 'threads'],
    ['latency.p90', ['latency.p50_ms', 'latency.p90_ms'], 'latency.p90_ms'],
    ['optimise', ['optimize', 'quantize'], 'optimize'],
    ['foo', ['bar', 'baz'], undefined],
    ['x', ['threads'], undefined],
  ])('%s → %s', (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });

  it('falls back to listing the allowed values', () => {
    expect(suggest('zzz', ['a', 'b'], 'allowed keys')).toBe('allowed keys: a, b');
    expect(suggest('aa', ['a', 'b'])).toBe('did you mean `a`?');
  });
});

describe('JSON pointers', () => {
  it.each([
    ['', '(top level)'], ['/steps/0/with/level', 'steps[0].with.level'], ['/slo/latency.p90_ms/max', 'slo["latency.p90_ms"].max'],
    ['/model/inputs/sr', 'model.inputs.sr'],
  ])('%s reads as %s', (pointer, shown) => {
    expect(displayPath(pointer)).toBe(shown);
  });

  it('escapes ~ and / like ajv does', () => {
    expect(join('/a', 'b/c~d')).toBe('/a/b~1c~0d');
    expect(split('/a/b~1c~0d')).toEqual(['a', 'b/c~d']);
    expect(valueAt({ a: { 'b/c~d': 1 } }, '/a/b~1c~0d')).toBe(1);
    expect(valueAt({ a: {} }, '/a/toString')).toBeUndefined();
  });
});

describe('step dependencies', () => {
  it('a step without needs needs the step before it', () => {
    expect(effectiveNeeds([{ id: 'a' }, { id: 'b' }, { id: 'c', needs: [] }, { id: 'd', needs: ['a'] }, { id: 'e' }]))
      .toEqual([[], ['a'], [], ['a'], ['d']]);
  });

  it.each([
    ['no cycle', ['a', 'b', 'c'], [[], ['a'], ['a', 'b']], []],
    ['self', ['a'], [['a']], [[0]]],
    ['two', ['a', 'b'], [['b'], ['a']], [[0, 1]]],
    ['three, reported once', ['a', 'b', 'c'], [['c'], ['a'], ['b']], [[0, 2, 1]]],
    ['two separate cycles', ['a', 'b', 'c', 'd'], [['b'], ['a'], ['d'], ['c']], [[0, 1], [2, 3]]],
    ['unknown ids are ignored', ['a'], [['zzz']], []],
  ])('%s', (_name, ids, needs, cycles) => {
    expect(findCycles(ids, needs)).toEqual(cycles);
  });
});
