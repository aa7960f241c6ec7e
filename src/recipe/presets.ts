// The built-in presets (`extends: edgeopt:<name>`), found next to this package's source, never relative to cwd.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PRESET_PREFIX = 'edgeopt:';

/** <package>/recipes, from src/recipe/ */
export const PRESET_DIR = fileURLToPath(new URL('../../recipes/', import.meta.url));

let names: string[] | undefined;

/** The preset names, e.g. ['aipc', 'mcu', 'phone']. */
export function presetNames(): string[] {
  names ??= readdirSync(PRESET_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
  return names;
}

/** The absolute file of `edgeopt:<name>`, or undefined when there is no such preset. */
export function presetFile(ref: string): string | undefined {
  const name = ref.slice(PRESET_PREFIX.length);
  return presetNames().includes(name) ? join(PRESET_DIR, `${name}.yaml`) : undefined;
}

export function isPresetFile(file: string): boolean {
  return file.startsWith(PRESET_DIR);
}
