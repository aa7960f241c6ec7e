// Turns command-line recipe arguments (files, folders, globs) or the config's globs into a sorted list of recipe files.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { EdgeoptError, EdgeoptErrors } from '../errors.js';
import { DEFAULT_RECIPE_GLOBS, type ProjectConfig } from './config-schema.js';
import { closest } from './did-you-mean.js';

const RECIPE_EXT = /\.ya?ml$/;
const SKIP_DIRS = new Set(['node_modules', '.git', '.edgeopt']);

/**
 * Absolute, sorted, de-duplicated recipe files. With no args, the config's `recipes` globs (default recipes/*.yaml)
 * relative to `root`; args are relative to `cwd`. Every argument that matches nothing is an error.
 */
export async function expandRecipeArgs(
  args: readonly string[], root: string, config: ProjectConfig, cwd: string = process.cwd(),
): Promise<string[]> {
  const fromConfig = args.length === 0;
  const patterns = fromConfig ? (config.recipes ?? DEFAULT_RECIPE_GLOBS) : args;
  const base = fromConfig ? root : cwd;
  const files = new Set<string>();
  const errors: EdgeoptError[] = [];
  for (const pattern of patterns) {
    const found = await expandOne(pattern, base).catch((cause: unknown) =>
      usage('E_RECIPE_ARGS', `cannot list recipes for ${pattern}: ${cause instanceof Error ? cause.message : String(cause)}`, 'check the folder exists and is readable'));
    if (found instanceof EdgeoptError) errors.push(found);
    else found.forEach((f) => files.add(f));
  }
  if (errors.length > 0) throw new EdgeoptErrors(errors);
  return [...files].sort();
}

async function expandOne(pattern: string, base: string): Promise<string[] | EdgeoptError> {
  const abs = resolve(base, pattern);
  const info = await stat(abs).catch(() => undefined);
  if (info?.isFile()) return [abs];
  if (info?.isDirectory()) {
    const inside = (await readdir(abs)).filter((f) => RECIPE_EXT.test(f)).map((f) => join(abs, f));
    return inside.length > 0 ? inside : usage('E_NO_RECIPES', `the folder ${pattern} holds no .yaml or .yml recipe`, 'give a recipe file or a folder of recipes');
  }
  const scan = picomatch.scan(pattern);
  if (!scan.isGlob) {
    const near = closest(basename(abs), await readdir(dirname(abs)).catch(() => [] as string[]));
    return usage('E_FILE_MISSING', `recipe file ${pattern} not found (looked for ${abs})`,
      near ? `did you mean ${join(dirname(pattern), near)}?` : 'check the path; it is relative to the current folder');
  }
  const dir = resolve(base, scan.base);
  const isMatch = picomatch(scan.glob);
  const deep = scan.glob.includes('**');
  const depth = deep ? Infinity : scan.glob.split('/').length;
  const matches = (await walk(dir, depth)).filter((f) => RECIPE_EXT.test(f) && isMatch(relative(dir, f).split(sep).join('/')));
  return matches.length > 0 ? matches : usage('E_NO_RECIPES', `no recipe file matches ${pattern} (searched ${dir})`,
    'recipes are .yaml files; check the glob, or set `recipes` in the project config');
}

async function walk(dir: string, depth: number): Promise<string[]> {
  if (depth <= 0) return [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory() && !SKIP_DIRS.has(e.name)) out.push(...(await walk(path, depth - 1)));
    else if (e.isFile()) out.push(path);
  }
  return out;
}

function usage(code: string, message: string, hint: string): EdgeoptError {
  return new EdgeoptError({ code, kind: 'usage', message, hint });
}
