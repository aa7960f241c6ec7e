// Prints errors as `file:line:col  CODE  message`, the source line with a caret, then the hint.
import path from 'node:path';
import type { EdgeoptError } from '../errors.js';

export function formatError(err: EdgeoptError, cwd: string, debug: boolean): string {
  const lines: string[] = [];
  const loc = err.location;
  const where = loc ? `${path.relative(cwd, loc.file) || loc.file}:${loc.line}:${loc.column}  ` : '';
  lines.push(`${where}${err.code}  ${err.message}`);
  if (loc?.lineText !== undefined) {
    const gutter = `${loc.line} | `;
    lines.push(`  ${gutter}${loc.lineText}`);
    lines.push(`  ${' '.repeat(gutter.length + Math.max(0, loc.column - 1))}^`);
  }
  if (err.hint) lines.push(`  hint: ${err.hint}`);
  if (debug && err.stack) lines.push(err.stack, ...(err.cause instanceof Error && err.cause.stack ? [`cause: ${err.cause.stack}`] : []));
  return lines.join('\n');
}

export function printErrors(errors: EdgeoptError[], debug: boolean): void {
  const cwd = process.cwd();
  process.stderr.write(`${errors.map((e) => formatError(e, cwd, debug)).join('\n\n')}\n`);
  if (errors.length > 1) process.stderr.write(`\n${errors.length} errors\n`);
}
