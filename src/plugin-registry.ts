// Which plugin a step's `uses:` names: the built-ins under plugins/, plus third-party ones the project config lists.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Plugin } from './api.js';
import { EdgeoptError } from './errors.js';

const BUILT_IN = ['benchmark', 'evaluate', 'exec', 'optimize', 'quantize'] as const;

function isPlugin(v: unknown): v is Plugin {
  const p = v as Partial<Plugin> | undefined;
  return !!p && typeof p.name === 'string' && typeof p.version === 'string' && typeof p.run === 'function'
    && typeof p.params === 'object' && (typeof p.produces === 'string' || typeof p.produces === 'function');
}

async function importPlugin(specifier: string, from: string): Promise<Plugin> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch (err) {
    throw new EdgeoptError({
      code: 'E_PLUGIN_LOAD', kind: 'usage',
      message: `plugin ${specifier} (listed in ${from}) could not be loaded: ${(err as Error).message}`,
      hint: 'check the path or install the package',
    });
  }
  const candidate = mod.default ?? mod.plugin ?? Object.values(mod).find(isPlugin);
  if (!isPlugin(candidate)) {
    throw new EdgeoptError({
      code: 'E_PLUGIN_LOAD', kind: 'usage',
      message: `${specifier} (listed in ${from}) does not export a plugin object { name, version, params, produces, run }`,
    });
  }
  return candidate;
}

/** Built-ins plus `extra` (package names or paths relative to `root`); a later plugin may not reuse a name. */
export async function loadPlugins(extra: string[] = [], root = process.cwd(), from = 'the project config'): Promise<Map<string, Plugin>> {
  const plugins = new Map<string, Plugin>();
  for (const name of BUILT_IN) {
    const url = new URL(`../plugins/${name}/index.ts`, import.meta.url).href;
    const plugin = await importPlugin(url, 'edgeopt');
    plugins.set(plugin.name, plugin);
  }
  const require = createRequire(path.join(root, 'package.json'));
  for (const spec of extra) {
    const resolved = spec.startsWith('.') || path.isAbsolute(spec) ? pathToFileURL(path.resolve(root, spec)).href : pathToFileURL(require.resolve(spec)).href;
    const plugin = await importPlugin(resolved, from);
    if (plugins.has(plugin.name)) {
      throw new EdgeoptError({ code: 'E_PLUGIN_LOAD', kind: 'usage', message: `plugin ${spec} is named "${plugin.name}", which another plugin already uses`, hint: 'give the plugin a unique name' });
    }
    plugins.set(plugin.name, plugin);
  }
  return plugins;
}
