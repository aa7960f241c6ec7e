// Recipe bytes must be UTF-8: another encoding is an error at the first foreign byte, never U+FFFD in a path.
import { describe, expect, it } from 'vitest';
import { EdgeoptError } from '../../../src/errors.js';
import { decodeRecipeText } from '../../../src/recipe/text-encoding.js';

describe('decodeRecipeText', () => {
  it('returns UTF-8 text as it is, multi-byte characters included', () => {
    expect(decodeRecipeText('/r.yaml', Buffer.from('name: café 😀\n', 'utf8'))).toBe('name: café 😀\n');
  });

  it('places a Latin-1 byte at its line and column', () => {
    const err = decodeRecipeText('/r.yaml', Buffer.concat([Buffer.from('name: ok\r\nmodel: ./mod'), Buffer.from([0xe8]), Buffer.from('le.onnx\n')]));
    expect(err).toBeInstanceOf(EdgeoptError);
    const e = err as EdgeoptError;
    expect([e.code, e.location?.line, e.location?.column, e.location?.lineText]).toEqual(['E_ENCODING', 2, 13, 'model: ./mod\uFFFDle.onnx']);
    expect(e.message).toMatch(/byte 0xE8 is not UTF-8/);
  });

  it('counts columns in characters after multi-byte ones, and rejects overlong forms and surrogates', () => {
    const e = decodeRecipeText('/r.yaml', Buffer.concat([Buffer.from('a: é'), Buffer.from([0xc0, 0xaf])])) as EdgeoptError;
    expect([e.location?.line, e.location?.column]).toEqual([1, 5]);
    expect(decodeRecipeText('/r.yaml', Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBeInstanceOf(EdgeoptError);
  });

  it('says when the file is binary (a model named where a recipe goes)', () => {
    const e = decodeRecipeText('/m.onnx', Buffer.from([0x08, 0x07, 0x12, 0x00, 0x01])) as EdgeoptError;
    expect([e.code, e.message]).toEqual(['E_ENCODING', '/m.onnx is a binary file (it holds NUL bytes), not a YAML recipe']);
  });

  it('says when the file is UTF-16', () => {
    const e = decodeRecipeText('/r.yaml', Buffer.from('\uFEFFname: a', 'utf16le')) as EdgeoptError;
    expect([e.code, e.message]).toEqual(['E_ENCODING', expect.stringMatching(/UTF-16/)]);
  });
});
