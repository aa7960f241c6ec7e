// The recipe stage's entry: files → assembled (extends, project defaults) → validated → typed Recipes, or every error.
import { resolve } from 'node:path';
import type { Plugin } from '../api.js';
import { asEdgeoptErrors, EdgeoptError, EdgeoptErrors } from '../errors.js';
import type { ProjectConfig } from './config-schema.js';
import { mergeLocated } from './deep-merge.js';
import { assemble, type ExtendsEnv } from './extends.js';
import { locate, type LocatedDoc } from './located-doc.js';
import { isInside, rootOf } from './paths.js';
import { defaultsDoc } from './project-config.js';
import { toRecipe } from './resolve.js';
import type { Recipe } from './types.js';
import { validateFiles } from './validate-files.js';
import { validateEvaluation } from './validate-evaluation.js';
import { validateDoc } from './validate-schema.js';
import { validateSteps } from './validate-steps.js';
import { readYamlFile, type ParsedFile } from './yaml-source.js';
import { nameErrors, nameUse, type NameUse } from './recipe-names.js';

export interface LoadOptions {
  projectRoot: string;
  config?: ProjectConfig;
  plugins: ReadonlyMap<string, Plugin>;
}

/** Loads every recipe or throws EdgeoptErrors with all problems of all files (never a bare exception). */
export async function loadRecipes(files: readonly string[], opts: LoadOptions): Promise<Recipe[]> {
  try {
    return await loadAll(files, opts);
  } catch (thrown) {
    // an fs failure or a bug still reaches the CLI as data, with kind 'internal'
    throw thrown instanceof EdgeoptErrors ? thrown : new EdgeoptErrors(asEdgeoptErrors(thrown));
  }
}

async function loadAll(files: readonly string[], opts: LoadOptions): Promise<Recipe[]> {
  const root = await rootOf(opts.projectRoot);
  const cache = new Map<string, Promise<ParsedFile>>();
  const env: ExtendsEnv = {
    root,
    parse: (file) => {
      let parsed = cache.get(file);
      if (!parsed) cache.set(file, (parsed = readYamlFile(file)));
      return parsed;
    },
  };
  const defaults = opts.config ? defaultsDoc(opts.config) : undefined;
  const errors: EdgeoptError[] = [];
  const recipes: Recipe[] = [];
  const names: NameUse[] = [];
  for (const file of [...new Set(files.map((f) => resolve(f)))]) {
    const one = await loadOne(file, env, defaults, opts.plugins);
    errors.push(...one.errors);
    if (one.recipe) recipes.push(one.recipe);
    if (one.name) names.push(one.name);
  }
  errors.push(...nameErrors(names));
  if (errors.length > 0) throw new EdgeoptErrors(dedupe(errors));
  return recipes;
}

async function loadOne(
  file: string, env: ExtendsEnv, defaults: LocatedDoc | undefined, plugins: ReadonlyMap<string, Plugin>,
): Promise<{ recipe?: Recipe; name?: NameUse; errors: EdgeoptError[] }> {
  const assembled = await assemble(file, env);
  const errors = [...assembled.errors];
  if (!isInside(file, env.root.path) && !isInside(file, env.root.real)) {
    errors.push(new EdgeoptError({
      code: 'E_PATH_ESCAPES', kind: 'usage', message: `recipe ${file} is outside the project root ${env.root.path}`,
      hint: 'run edgeopt from inside the project that holds the recipe, or move the recipe into the project',
    }));
  }
  if (!assembled.merged) {
    // the chain is broken: still report what is wrong in the recipe itself
    if (assembled.own) errors.push(...validateDoc(assembled.own, 'fragment'));
    return { errors: sortByPlace(errors) };
  }
  const doc = defaults ? mergeLocated(defaults, assembled.merged) : assembled.merged;
  const sources = defaults ? [...assembled.sources, ...configFiles(defaults)] : assembled.sources;
  errors.push(
    ...validateDoc(doc, 'recipe'), ...validateSteps(doc, plugins), ...validateEvaluation(doc), ...(await validateFiles(doc, file, env.root, plugins)),
  );
  const name = nameUse(doc, file);
  if (errors.length > 0) return { ...(name ? { name } : {}), errors: sortByPlace(errors) };
  return { recipe: toRecipe(doc, file, env.root, sources), ...(name ? { name } : {}), errors };
}

function configFiles(defaults: LocatedDoc): string[] {
  const file = locate(defaults, '')?.file;
  return file === undefined ? [] : [file];
}

function sortByPlace(errors: EdgeoptError[]): EdgeoptError[] {
  const files = [...new Set(errors.map((e) => e.location?.file ?? ''))];
  const rank = (e: EdgeoptError): [number, number, number] =>
    [files.indexOf(e.location?.file ?? ''), e.location?.line ?? Infinity, e.location?.column ?? Infinity];
  return errors.slice().sort((a, b) => {
    const [fa, la, ca] = rank(a);
    const [fb, lb, cb] = rank(b);
    return fa - fb || la - lb || ca - cb;
  });
}

/** A preset or base file shared by several recipes reports each of its problems once. */
function dedupe(errors: readonly EdgeoptError[]): EdgeoptError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = [e.code, e.location?.file, e.location?.line, e.location?.column, e.message].join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

