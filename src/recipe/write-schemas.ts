// Writes the published JSON Schemas (schemas/*.schema.json) from the TypeBox schemas; `npm run schemas`.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { ProjectConfigSchema } from './config-schema.js';
import { ReportSchema } from '../report/report-schema.js';
import { RecipeFragmentSchema, RecipeSchema } from './schema.js';

export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const ID_BASE = 'https://edgeopt.dev/schemas/';

/** file name → schema; the files editors and CI use (yaml-language-server `$schema=` comments point at them). */
export const PUBLISHED: Readonly<Record<string, TSchema>> = {
  'recipe.schema.json': RecipeSchema,
  'recipe-fragment.schema.json': { ...RecipeFragmentSchema, $id: `${ID_BASE}recipe-fragment.schema.json` },
  'edgeopt-config.schema.json': ProjectConfigSchema,
  'report.schema.json': ReportSchema,
};

// keywords first in reading order; property maps keep their declaration order (it is the order users read)
const KEYWORD_ORDER = ['$schema', '$id', 'title', 'description', 'type', 'required', 'properties', 'patternProperties',
  'additionalProperties', 'items', 'anyOf', 'const'];
const NAME_MAPS = new Set(['properties', 'patternProperties', '$defs']);

function ordered(node: unknown, isNameMap = false): unknown {
  if (Array.isArray(node)) return node.map((n) => ordered(n));
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node);
  if (!isNameMap) {
    const rank = (k: string): number => (KEYWORD_ORDER.includes(k) ? KEYWORD_ORDER.indexOf(k) : KEYWORD_ORDER.length);
    entries.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, ordered(v, !isNameMap && NAME_MAPS.has(k))]));
}

/** The exact text of a published schema file (JSON.stringify drops TypeBox's symbol keys). */
export function renderSchema(schema: TSchema): string {
  return `${JSON.stringify(ordered({ $schema: DRAFT, ...schema }), null, 2)}\n`;
}

export async function writeSchemas(dir: string = SCHEMA_DIR): Promise<string[]> {
  const written: string[] = [];
  for (const [name, schema] of Object.entries(PUBLISHED)) {
    const file = join(dir, name);
    await writeFile(file, renderSchema(schema));
    written.push(file);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const file of await writeSchemas()) console.log(`wrote ${file}`);
}
