// Finds and validates the project config (cosmiconfig, searching upward); the project root is the config's folder.
import { basename, dirname, resolve } from 'node:path';
import { cosmiconfig, defaultLoaders, type Loader } from 'cosmiconfig';
import { EdgeoptError, EdgeoptErrors } from '../errors.js';
import type { ProjectConfig } from './config-schema.js';
import { subDoc, uniformDoc, type LocatedDoc } from './located-doc.js';
import { validateDoc } from './validate-schema.js';
import { parseYamlText, type ParsedFile } from './yaml-source.js';

export const CONFIG_SEARCH_PLACES: readonly string[] = [
  'package.json',
  '.edgeoptrc', '.edgeoptrc.json', '.edgeoptrc.yaml', '.edgeoptrc.yml', '.edgeoptrc.js', '.edgeoptrc.mjs', '.edgeoptrc.cjs',
  'edgeopt.config.json', 'edgeopt.config.yaml', 'edgeopt.config.yml', 'edgeopt.config.js', 'edgeopt.config.mjs', 'edgeopt.config.cjs',
];

/** The located `defaults` of configs this module loaded, so values merged from them point into the config file. */
const locatedDefaults = new WeakMap<ProjectConfig, LocatedDoc>();

/** `config.defaults` with the places they were written (none for a config built in code). */
export function defaultsDoc(config: ProjectConfig): LocatedDoc | undefined {
  if (config.defaults === undefined) return undefined;
  return locatedDefaults.get(config) ?? { value: config.defaults, locs: new Map() };
}

export interface LoadedProjectConfig {
  /** the folder of the config file, else the folder searched from */
  root: string;
  config: ProjectConfig;
  /** the config file, when one was found */
  file?: string;
}

export async function loadProjectConfig(cwd: string): Promise<LoadedProjectConfig> {
  const parsed = new Map<string, ParsedFile>();
  // YAML and JSON go through our parser so that config errors carry line:column too
  const located: Loader = (filepath, content) => {
    const result = parseYamlText(filepath, content);
    parsed.set(filepath, result);
    return result.doc?.value ?? {};
  };
  const explorer = cosmiconfig('edgeopt', {
    searchPlaces: [...CONFIG_SEARCH_PLACES],
    loaders: { ...defaultLoaders, '.json': located, '.yaml': located, '.yml': located, noExt: located },
    searchStrategy: 'none',
    cache: false,
  });
  const start = resolve(cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    let found: Awaited<ReturnType<typeof explorer.search>>;
    try {
      found = await explorer.search(dir);
    } catch (cause) {
      const file = (cause as { filepath?: string }).filepath ?? dir;
      throw new EdgeoptErrors([new EdgeoptError({
        code: 'E_CONFIG_LOAD', kind: 'usage', message: `cannot load the project config ${file}: ${(cause as Error).message}`,
        location: { file, line: 1, column: 1 }, hint: 'fix the error in the config file, or remove it', cause,
      })]);
    }
    if (found && !found.isEmpty) return validated(found.filepath, found.config, parsed.get(found.filepath));
    if (dirname(dir) === dir) return { root: start, config: {} };
  }
}

function validated(file: string, value: unknown, parsed: ParsedFile | undefined): LoadedProjectConfig {
  if (parsed && parsed.errors.length > 0) throw new EdgeoptErrors(parsed.errors);
  const whole: LocatedDoc = parsed?.doc ?? uniformDoc(value, { file, line: 1, column: 1 });
  const doc = basename(file) === 'package.json' ? subDoc(whole, '/edgeopt') : whole;
  const errors = validateDoc(doc, 'config');
  if (errors.length > 0) throw new EdgeoptErrors(errors);
  const config = doc.value as ProjectConfig;
  if (config.defaults !== undefined) locatedDefaults.set(config, subDoc(doc, '/defaults'));
  return { root: dirname(file), config, file };
}
