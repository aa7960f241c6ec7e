// Reads report.json files back (for `edgeopt diff`): a file, or a build's output folder of them, each checked against the report schema.
import { constants as fsc, promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { EdgeoptError } from '../errors.js';
import { ReportSchema, type Report } from './report-schema.js';

let validator: ValidateFunction | undefined;

function validate(): ValidateFunction {
  // strict: the schema is ours and must compile cleanly; allErrors so the message can say how much is wrong
  validator ??= new Ajv2020({ strict: true, allErrors: true }).compile(ReportSchema);
  return validator;
}

const badInput = (message: string, hint: string): EdgeoptError => new EdgeoptError({ code: 'E_DIFF_INPUT', kind: 'usage', message, hint });

function describeErrors(errors: readonly ErrorObject[]): string {
  const shown = errors.slice(0, 3).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : '';
    return `${e.instancePath || '(top level)'} ${e.message ?? 'is invalid'}${extra}`;
  });
  return `${shown.join('; ')}${errors.length > 3 ? `; and ${errors.length - 3} more problem(s)` : ''}`;
}

const FILES_HINT = 'give two report.json files (or two .edgeopt/out folders), e.g. `edgeopt diff old/report.json .edgeopt/out/<name>/report.json`';

/**
 * 256 MB: a report holds its benchmarks' samples, a few MB even for many recipes, so a larger file is not one; and a
 * string near V8's limit (~512 MB) cannot be parsed anyway. Reading /dev/zero grew a string until V8 refused.
 */
export const MAX_REPORT_BYTES = 256 * 2 ** 20;
const CHUNK = 2 ** 20;

function fileKind(st: Stats): string {
  return st.isDirectory() ? 'a folder' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device'
    : st.isFIFO() ? 'a named pipe' : st.isSocket() ? 'a socket' : 'not a plain file';
}

/** The text of a regular file of at most MAX_REPORT_BYTES, read so that neither a device nor a growing file can make it grow further. */
async function readReportText(file: string): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, fsc.O_RDONLY | fsc.O_NONBLOCK); // a named pipe would otherwise wait for a writer for ever
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw badInput(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(err)})`}`, FILES_HINT);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw badInput(`${file} is ${fileKind(st)}, not a regular file: edgeopt diff reads the report.json files that \`edgeopt build\` writes`, FILES_HINT);
    const tooLarge = (): EdgeoptError => badInput(
      `${file} holds more than ${MAX_REPORT_BYTES / 2 ** 20} MB, far more than any report.json (one holds a few MB of benchmark samples): it is not a report`, FILES_HINT);
    if (st.size > MAX_REPORT_BYTES) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(CHUNK), 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_REPORT_BYTES) throw tooLarge(); // it grew after the size check
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** One report.json, parsed and validated; E_DIFF_INPUT (exit 2) naming the file and what is wrong. */
export async function readReportFile(file: string): Promise<Report> {
  const text = await readReportText(file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw badInput(`${file} is not JSON: ${(err as Error).message}`, 'edgeopt diff compares the report.json files that `edgeopt build` writes');
  }
  const schema = data !== null && typeof data === 'object' ? (data as { schema?: unknown }).schema : undefined;
  const hint = 'compare report.json files written by `edgeopt build` (schemas/report.schema.json describes them)';
  if (schema !== 'edgeopt-report/1') {
    const found = schema === undefined ? 'no "schema" field' : `"schema": ${JSON.stringify(schema).slice(0, 80)}`;
    throw badInput(`${file} is not an edgeopt report: expected "schema": "edgeopt-report/1" at its top level, found ${found}`, hint);
  }
  const check = validate();
  if (!check(data)) {
    throw badInput(`${file} does not match the report schema: ${describeErrors(check.errors ?? [])}`,
      `${hint}; a report written by another edgeopt version may need that version`);
  }
  return data as Report;
}

/** A report.json file, or a folder: its own report.json, else the report.json of each subfolder (.edgeopt/out). */
export async function readReports(target: string): Promise<Report[]> {
  const stat = await fs.stat(target).catch(() => undefined);
  if (!stat?.isDirectory()) return [await readReportFile(target)];
  const own = path.join(target, 'report.json');
  if (await fs.stat(own).then((s) => s.isFile(), () => false)) return [await readReportFile(own)];
  const entries = (await fs.readdir(target, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  const files: string[] = [];
  for (const name of entries) {
    const file = path.join(target, name, 'report.json');
    if (await fs.stat(file).then((s) => s.isFile(), () => false)) files.push(file);
  }
  if (files.length === 0) throw badInput(`${target} holds no report.json (nor do its subfolders)`, 'point at a report.json, or at a build output folder such as .edgeopt/out');
  return Promise.all(files.map(readReportFile));
}
