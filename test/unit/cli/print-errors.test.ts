// The code frame under an error: the caret stays under the column, and a very long line is cut around it.
import { describe, expect, it } from 'vitest';
import { clipLine, formatError, MAX_LINE_SHOWN } from '../../../src/cli/print-errors.js';
import { EdgeoptError } from '../../../src/errors.js';

describe('clipLine', () => {
  it('keeps a short line whole', () => {
    expect(clipLine('name: x', 7)).toEqual({ text: 'name: x', caret: 6 });
  });

  it('cuts a long line around the column and keeps the caret on the same character', () => {
    const line = `${'a'.repeat(5000)}X${'b'.repeat(5000)}`;
    const { text, caret } = clipLine(line, 5001);
    expect(text.length).toBeLessThanOrEqual(MAX_LINE_SHOWN + 2);
    expect([text[caret], text.startsWith('…'), text.endsWith('…')]).toEqual(['X', true, true]);
    const end = clipLine(line, line.length);
    expect(end.text[end.caret]).toBe('b');
    expect(end.text.endsWith('…')).toBe(false);
  });

  it('formats a minified one-line file without printing all of it', () => {
    const lineText = `{"name": "x", ${'"k": 1, '.repeat(2000)}"bad": 1}`;
    const err = new EdgeoptError({ code: 'E_UNKNOWN_KEY', message: 'unknown key `bad`', location: { file: '/p/r.json', line: 1, column: lineText.indexOf('"bad"') + 1, lineText } });
    const frame = formatError(err, '/p', false).split('\n');
    expect(frame[1]!.length).toBeLessThan(MAX_LINE_SHOWN + 20);
    expect(frame[1]![frame[2]!.indexOf('^')]).toBe('"');
  });
});

describe('formatError', () => {
  it('never sends control characters from a file to the terminal', () => {
    const err = new EdgeoptError({ code: 'E_UNKNOWN_KEY', message: 'unknown key `\u001b[31mred`', location: { file: '/p/r.yaml', line: 1, column: 1, lineText: '"\u001b[2J": \u0007' } });
    const text = formatError(err, '/p', false);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(text).toContain('unknown key `\uFFFD[31mred`');
  });
});
