// Reads data.jsonl: one sample per line, {"inputs": {"<input>": "<relative .npy path>"}, "label": 3}.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EdgeoptError } from '../errors.js';

/** A label as written on a line: a class id or target number, a nested list of numbers, or a .npy path (resolved). */
export type ManifestLabel = number | unknown[] | { file: string };

export interface ManifestLine {
  /** 1-based line number in the file */
  line: number;
  /** input name → absolute path of that sample's .npy file */
  inputs: Record<string, string>;
  label?: ManifestLabel;
}

export const MANIFEST_NAME = 'data.jsonl';

function manifestError(file: string, line: number, message: string, hint?: string): EdgeoptError {
  return new EdgeoptError({ code: 'E_DATA_MANIFEST', kind: 'recipe', message: `${file}:${line}: ${message}`, ...(hint ? { hint } : {}) });
}

/** `relative` resolved against `folder`; E_DATA_PATH when it is absolute or climbs out of the dataset folder. */
export function resolveInside(folder: string, relative: string, where: string): string {
  const abs = path.resolve(folder, relative);
  const rel = path.relative(folder, abs);
  if (path.isAbsolute(relative) || rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new EdgeoptError({
      code: 'E_DATA_PATH', kind: 'recipe',
      message: `${where}: "${relative}" is outside the dataset folder ${folder}`,
      hint: 'sample files must live inside the dataset folder (its content is what the cache key hashes); use paths relative to it',
    });
  }
  return abs;
}

function parseLine(text: string, line: number, file: string, folder: string): ManifestLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw manifestError(file, line, `not valid JSON: ${(err as Error).message}`, 'write one JSON object per line');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw manifestError(file, line, 'each line must be a JSON object');
  const { inputs, label, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length) throw manifestError(file, line, `unknown key${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')}`, 'a line has "inputs" and optionally "label"');
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs) || Object.keys(inputs).length === 0) {
    throw manifestError(file, line, '"inputs" must be an object mapping model input names to .npy paths');
  }
  const where = `${file}:${line}`;
  const resolved: Record<string, string> = {};
  for (const [name, rel] of Object.entries(inputs)) {
    if (typeof rel !== 'string' || rel === '') throw manifestError(file, line, `inputs.${name} must be a relative path to a .npy file`);
    resolved[name] = resolveInside(folder, rel, where);
  }
  const out: ManifestLine = { line, inputs: resolved };
  if (typeof label === 'number' || Array.isArray(label)) out.label = label;
  else if (typeof label === 'string') out.label = { file: resolveInside(folder, label, where) };
  else if (label !== undefined) throw manifestError(file, line, '"label" must be a number, a list of numbers, or a .npy path');
  return out;
}

/** Every non-blank line of the manifest; paths resolve against the manifest's folder and may not leave it. */
export async function readManifest(file: string): Promise<ManifestLine[]> {
  const folder = path.dirname(file);
  const text = await fs.readFile(file, 'utf8');
  const lines: ManifestLine[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() !== '') lines.push(parseLine(raw, i + 1, file, folder));
  });
  if (lines.length === 0) throw manifestError(file, 1, 'the manifest has no samples');
  return lines;
}
