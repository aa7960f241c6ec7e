// Resolves a recipe's `extends` chain (presets or relative files, left to right, the recipe last) into one located doc.
import { realpath } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import { EdgeoptError } from '../errors.js';
import { mergeAll } from './deep-merge.js';
import { suggest } from './did-you-mean.js';
import { isPlainObject, locate, type LocatedDoc } from './located-doc.js';
import { checkUserPath, isInside, type Root } from './paths.js';
import { join } from './pointer.js';
import { isPresetFile, PRESET_PREFIX, presetFile, presetNames } from './presets.js';
import { validateDoc } from './validate-schema.js';
import type { ParsedFile } from './yaml-source.js';

export interface ExtendsEnv {
  root: Root;
  /** parses a file (callers cache: a preset is parsed once per load) */
  parse(file: string): Promise<ParsedFile>;
}

export interface Assembled {
  /** the recipe's own document (absent on YAML syntax errors) */
  own?: LocatedDoc;
  /** own laid over everything it extends; absent when some part of the chain could not be read */
  merged?: LocatedDoc;
  /** files this recipe was assembled from, child first */
  sources: string[];
  errors: EdgeoptError[];
}

interface Ref { ref: string; pointer: string }

export async function assemble(file: string, env: ExtendsEnv): Promise<Assembled> {
  const errors: EdgeoptError[] = [];
  const parsed = await env.parse(file);
  const merged = await resolveFile(file, env, [], errors);
  return { ...(parsed.doc ? { own: parsed.doc } : {}), ...(merged ? { merged: merged.doc } : {}), sources: merged?.sources ?? [file], errors };
}

async function resolveFile(
  file: string, env: ExtendsEnv, chain: readonly string[], errors: EdgeoptError[],
): Promise<{ doc: LocatedDoc; sources: string[] } | undefined> {
  const parsed = await env.parse(file);
  errors.push(...parsed.errors);
  if (!parsed.doc) return undefined;
  const doc = parsed.doc;
  // a file that others extend must be a valid fragment on its own, so its errors point at it, not at its users
  if (chain.length > 0) errors.push(...validateDoc(doc, 'fragment'));
  const stack = [...chain, file];
  const bases: Array<{ doc: LocatedDoc; sources: string[] }> = [];
  let complete = true;
  for (const { ref, pointer } of refsOf(doc)) {
    const target = await resolveRef(ref, pointer, file, doc, env.root, errors);
    if (target === undefined) {
      complete = false;
      continue;
    }
    if (stack.includes(target)) {
      const cycle = [...stack.slice(stack.indexOf(target)), target].map((f) => nameOf(f, env.root)).join(' → ');
      errors.push(new EdgeoptError({
        code: 'E_EXTENDS_CYCLE', message: `\`extends\` forms a cycle: ${cycle}`, ...at(doc, pointer),
        hint: 'remove one of the `extends` links in the cycle',
      }));
      complete = false;
      continue;
    }
    const base = await resolveFile(target, env, stack, errors);
    if (base) bases.push(base);
    else complete = false;
  }
  if (!complete) return undefined;
  const sources = [file, ...bases.slice().reverse().flatMap((b) => b.sources)];
  return { doc: mergeAll([...bases.map((b) => withoutExtends(b.doc)), doc]), sources: [...new Set(sources)] };
}

/** The `extends` entries that are strings (other shapes are left to schema validation). */
function refsOf(doc: LocatedDoc): Ref[] {
  const value = isPlainObject(doc.value) ? doc.value['extends'] : undefined;
  if (typeof value === 'string') return [{ ref: value, pointer: '/extends' }];
  if (!Array.isArray(value)) return [];
  return value.flatMap((ref, i) => (typeof ref === 'string' && ref !== '' ? [{ ref, pointer: join('/extends', i) }] : []));
}

async function resolveRef(
  ref: string, pointer: string, from: string, doc: LocatedDoc, root: Root, errors: EdgeoptError[],
): Promise<string | undefined> {
  if (ref.startsWith(PRESET_PREFIX)) {
    const file = presetFile(ref);
    if (file === undefined) {
      const names = presetNames().map((n) => `${PRESET_PREFIX}${n}`);
      errors.push(new EdgeoptError({
        code: 'E_EXTENDS_MISSING', message: `unknown preset \`${ref}\``, ...at(doc, pointer), hint: suggest(ref, names, 'presets'),
      }));
    }
    return file;
  }
  const abs = resolve(dirname(from), ref);
  // presets may extend each other; a project's recipes may only extend files inside the project
  const guard = isPresetFile(from) && isInside(abs, dirname(from)) ? { path: dirname(from), real: dirname(from) } : root;
  const problem = await checkUserPath(abs, 'file', guard, '`extends` file', ref);
  if (problem) {
    errors.push(new EdgeoptError({ code: problem.code === 'E_FILE_MISSING' ? 'E_EXTENDS_MISSING' : problem.code, message: problem.message, hint: problem.hint, ...at(doc, pointer) }));
    return undefined;
  }
  return realpath(abs);
}

function withoutExtends(doc: LocatedDoc): LocatedDoc {
  if (!isPlainObject(doc.value) || !('extends' in doc.value)) return doc;
  const { extends: _dropped, ...value } = doc.value;
  const locs = new Map([...doc.locs].filter(([p]) => p !== '/extends' && !p.startsWith('/extends/')));
  return { value, locs };
}

function at(doc: LocatedDoc, pointer: string): { location?: NonNullable<ReturnType<typeof locate>> } {
  const location = locate(doc, pointer);
  return location ? { location } : {};
}

function nameOf(file: string, root: Root): string {
  if (isPresetFile(file)) return `${PRESET_PREFIX}${basename(file, '.yaml')}`;
  const rel = relative(root.real, file);
  return rel.startsWith('..') ? file : rel;
}
