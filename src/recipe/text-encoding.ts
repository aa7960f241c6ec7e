// Recipe bytes → text: UTF-8 only, and a byte that is not UTF-8 is an error at its line and column, not a silent U+FFFD.
import { EdgeoptError } from '../errors.js';

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the bytes there are not one (RFC 3629 table). */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < bytes.length && bytes[i + k]! >= lo && bytes[i + k]! <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf; // no UTF-16 surrogates
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence, or -1. */
function firstInvalidByte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const n = sequenceLength(bytes, i);
    if (n === 0) return i;
    i += n;
  }
  return -1;
}

/** The text of a recipe file, or an E_ENCODING error placed at the first byte that is not UTF-8. */
export function decodeRecipeText(file: string, bytes: Uint8Array): string | EdgeoptError {
  if (bytes[0] === 0xff && bytes[1] === 0xfe || bytes[0] === 0xfe && bytes[1] === 0xff) {
    return new EdgeoptError({
      code: 'E_ENCODING', location: { file, line: 1, column: 1 },
      message: `${file} is UTF-16 text (it starts with a UTF-16 byte-order mark); recipes are UTF-8`,
      hint: 'save the file as UTF-8 (in Notepad: Save as… → Encoding: UTF-8)',
    });
  }
  const nul = bytes.subarray(0, 8192).indexOf(0);
  if (nul >= 0) {
    return new EdgeoptError({
      code: 'E_ENCODING', location: { file, line: 1, column: 1 },
      message: `${file} is a binary file (it holds NUL bytes), not a YAML recipe`,
      hint: 'name the .yaml recipe here; a model belongs under `model:` in it',
    });
  }
  const bad = firstInvalidByte(bytes);
  if (bad < 0) return new TextDecoder('utf-8').decode(bytes);
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.split('\n').length;
  const lineEnd = bytes.indexOf(0x0a, bad);
  const lineText = new TextDecoder('utf-8').decode(bytes.subarray(Buffer.byteLength(before.slice(0, lineStart)), lineEnd < 0 ? bytes.length : lineEnd)).replace(/\r$/, '');
  const byte = bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
  return new EdgeoptError({
    code: 'E_ENCODING',
    location: { file, line, column: before.length - lineStart + 1, lineText },
    message: `byte 0x${byte} is not UTF-8: recipes are UTF-8 text, and this file holds another encoding (often Latin-1 or Windows-1252)`,
    hint: 'save the file as UTF-8, or retype the character (é, ü, ° …) in a UTF-8 editor',
  });
}
