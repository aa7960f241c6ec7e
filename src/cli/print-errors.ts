// Prints errors as `file:line:col  CODE  message`, the source line with a caret, then the hint.
import path from 'node:path';
import type { EdgeoptError } from '../errors.js';

/** Longest source line shown whole; a longer one (minified JSON, a runaway `[[[`) is cut around the column. */
export const MAX_LINE_SHOWN = 120;

/** The part of a source line to show and the caret's offset in it: the whole line when short, else a window with `…`. */
export function clipLine(line: string, column: number): { text: string; caret: number } {
  const col = Math.max(0, column - 1);
  if (line.length <= MAX_LINE_SHOWN) return { text: line, caret: col };
  const start = Math.max(0, Math.min(col - MAX_LINE_SHOWN / 2, line.length - MAX_LINE_SHOWN));
  const end = start + MAX_LINE_SHOWN;
  const text = `${start > 0 ? '…' : ''}${line.slice(start, end)}${end < line.length ? '…' : ''}`;
  return { text, caret: col - start + (start > 0 ? 1 : 0) };
}

/** Control characters from a file or a tool (a binary line, an escape sequence in a key) must not reach the terminal. */
function printable(line: string): string {
  return line.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\uFFFD');
}

export function formatError(err: EdgeoptError, cwd: string, debug: boolean): string {
  const lines: string[] = [];
  const loc = err.location;
  const where = loc ? `${path.relative(cwd, loc.file) || loc.file}:${loc.line}:${loc.column}  ` : '';
  lines.push(`${where}${err.code}  ${err.message}`);
  if (loc?.lineText !== undefined) {
    const gutter = `${loc.line} | `;
    const { text, caret } = clipLine(loc.lineText, loc.column);
    lines.push(`  ${gutter}${text}`);
    lines.push(`  ${' '.repeat(gutter.length + caret)}^`);
  }
  if (err.hint) lines.push(`  hint: ${err.hint}`);
  if (debug && err.stack) lines.push(err.stack, ...(err.cause instanceof Error && err.cause.stack ? [`cause: ${err.cause.stack}`] : []));
  return lines.map(printable).join('\n');
}

export function printErrors(errors: EdgeoptError[], debug: boolean): void {
  const cwd = process.cwd();
  process.stderr.write(`${errors.map((e) => formatError(e, cwd, debug)).join('\n\n')}\n`);
  if (errors.length > 1) process.stderr.write(`\n${errors.length} errors\n`);
}
