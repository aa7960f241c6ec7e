// What every command starts from: project root and config, plugins, the recipes named on the command line.
import path from 'node:path';
import type { Plugin } from '../api.js';
import { LocalStore } from '../cache/local-store.js';
import { expandRecipeArgs, loadProjectConfig, loadRecipes, type ProjectConfig } from '../recipe/index.js';
import type { Recipe } from '../recipe/types.js';
import { loadPlugins } from '../plugin-registry.js';

export interface ProjectSession {
  root: string;
  config: ProjectConfig;
  plugins: Map<string, Plugin>;
  recipes: Recipe[];
  store: LocalStore;
  outRoot: string;
}

export async function openProject(targets: string[]): Promise<ProjectSession> {
  const { root, config } = await loadProjectConfig(process.cwd());
  const plugins = await loadPlugins(config.plugins ?? [], root);
  const files = await expandRecipeArgs(targets, root, config);
  const recipes = await loadRecipes(files, { projectRoot: root, config, plugins });
  const cacheRoot = cacheRootOf(root, config);
  return { root, config, plugins, recipes, store: new LocalStore(cacheRoot), outRoot: path.join(root, '.edgeopt', 'out') };
}

/** `EDGEOPT_CACHE_DIR` (e.g. a CI cache mount) wins over the config's `cacheDir`, else `.edgeopt/cache`. */
export function cacheRootOf(root: string, config: ProjectConfig): string {
  return path.resolve(root, process.env.EDGEOPT_CACHE_DIR || config.cacheDir || '.edgeopt/cache');
}
