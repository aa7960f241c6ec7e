// Recipe names pick output folders (.edgeopt/out/<name>), so each must be a folder name on every OS and unique.
import type { SourceLocation } from '../errors.js';
import { EdgeoptError } from '../errors.js';
import { isPlainObject, locate, type LocatedDoc } from './located-doc.js';

export interface NameUse { name: string; file: string; location?: SourceLocation }

/** What the build itself writes into .edgeopt/out next to the recipes' folders. */
const BUILD_FILES = ['index.html'];
/** Windows refuses these as file or folder names, with any extension (CON, con.txt, COM1.x …). */
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

export function nameUse(doc: LocatedDoc, file: string): NameUse | undefined {
  const name = isPlainObject(doc.value) ? doc.value['name'] : undefined;
  if (typeof name !== 'string') return undefined;
  const location = locate(doc, '/name');
  return { name, file, ...(location ? { location } : {}) };
}

function nameError(use: NameUse, code: string, message: string, hint: string): EdgeoptError {
  return new EdgeoptError({ code, message, hint, ...(use.location ? { location: use.location } : {}) });
}

/** Why a name cannot be an output folder on some OS, if it cannot. */
function reservedName(use: NameUse): EdgeoptError | undefined {
  const hint = 'the name picks the output folder .edgeopt/out/<name>; choose another';
  if (BUILD_FILES.includes(use.name.toLowerCase())) {
    return nameError(use, 'E_RECIPE_NAME', `recipe name \`${use.name}\` is taken: the build writes .edgeopt/out/${use.name} itself`, hint);
  }
  if (WINDOWS_DEVICES.test(use.name)) {
    return nameError(use, 'E_RECIPE_NAME', `recipe name \`${use.name}\` is a device name on Windows, which cannot be a folder there`, hint);
  }
  if (use.name.endsWith('.')) {
    return nameError(use, 'E_RECIPE_NAME', `recipe name \`${use.name}\` ends with a dot, which Windows drops from folder names`, hint);
  }
  return undefined;
}

/**
 * Names that cannot be output folders, and names two recipes of one load share. Folders on macOS and Windows ignore
 * case, so `Det` and `det` would write into one another: they count as the same name.
 */
export function nameErrors(uses: readonly NameUse[]): EdgeoptError[] {
  const first = new Map<string, NameUse>();
  const errors: EdgeoptError[] = [];
  for (const use of uses) {
    const reserved = reservedName(use);
    if (reserved) errors.push(reserved);
    const key = use.name.toLowerCase();
    const other = first.get(key);
    if (!other) {
      first.set(key, use);
      continue;
    }
    const where = other.location ? `:${other.location.line}:${other.location.column}` : '';
    const same = other.name === use.name ? '' : ` as \`${other.name}\` (output folders ignore case on macOS and Windows)`;
    errors.push(nameError(use, 'E_DUPLICATE_NAME', `recipe name \`${use.name}\` is already used by ${other.file}${where}${same}`,
      'the name picks the output folder .edgeopt/out/<name>; give each recipe its own'));
  }
  return errors;
}
