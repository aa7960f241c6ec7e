// Resolving paths a user wrote: relative to the file they were written in, inside the project root, existing.
import { readdir, realpath, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { closest } from './did-you-mean.js';

/** The project root as written and with symlinks resolved (both are needed to judge paths lexically and really). */
export interface Root {
  path: string;
  real: string;
}

export interface PathProblem {
  code: 'E_PATH_ESCAPES' | 'E_FILE_MISSING';
  message: string;
  hint: string;
}

export async function rootOf(dir: string): Promise<Root> {
  const path = resolve(dir);
  return { path, real: await realpath(path).catch(() => path) };
}

export function isInside(abs: string, root: string): boolean {
  const rel = relative(root, abs);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Why `abs` may not be used: outside the root (lexically or through a symlink), missing, or the wrong kind. */
export async function checkUserPath(
  abs: string, expect: 'file' | 'dir' | 'any', root: Root, what: string, written: string,
): Promise<PathProblem | undefined> {
  if (!isInside(abs, root.path) && !isInside(abs, root.real)) {
    return {
      code: 'E_PATH_ESCAPES',
      message: `${what} \`${written}\` resolves to ${abs}, outside the project root ${root.path}`,
      hint: 'move or copy it into the project and write a path inside it; builds may only read files under the project root',
    };
  }
  const real = await realpath(abs).catch(() => undefined);
  if (real !== undefined && !isInside(real, root.real)) {
    return {
      code: 'E_PATH_ESCAPES',
      message: `${what} \`${written}\` is a symlink to ${real}, outside the project root ${root.path}`,
      hint: 'copy the file into the project instead of linking to it',
    };
  }
  const info = real === undefined ? undefined : await stat(real).catch(() => undefined);
  const kind = expect === 'file' ? 'file' : 'folder';
  if (!info) {
    const near = await nearbyName(abs);
    const shown = near !== undefined && written.endsWith(basename(abs)) ? written.slice(0, -basename(abs).length) + near : near;
    return {
      code: 'E_FILE_MISSING',
      message: `${what} \`${written}\` not found (looked for ${abs})`,
      hint: shown ? `did you mean \`${shown}\`?` : `paths are relative to the file they are written in (${dirname(abs)} was searched)`,
    };
  }
  if (expect !== 'any' && (expect === 'file' ? !info.isFile() : !info.isDirectory())) {
    return {
      code: 'E_FILE_MISSING',
      message: `${what} \`${written}\` must be a ${kind}, but ${abs} is ${info.isDirectory() ? 'a folder' : 'not a folder'}`,
      hint: expect === 'dir' ? 'give the folder that holds the .npy files' : 'give the path of the file itself',
    };
  }
  return undefined;
}

/** A sibling whose name is a likely typo of the missing one. */
async function nearbyName(abs: string): Promise<string | undefined> {
  const entries = await readdir(dirname(abs)).catch(() => [] as string[]);
  const near = closest(basename(abs), entries);
  return near === undefined ? undefined : near;
}

/**
 * The first symlink inside the folder `dir` (at any depth) that leads outside the project root: a dataset's readers
 * follow links, so one there would read outside the root all the same. Links back into the walk are not followed twice.
 */
export async function linkOutside(dir: string, root: Root): Promise<{ link: string; target: string } | undefined> {
  const walking = new Set<string>();
  const walk = async (folder: string): Promise<{ link: string; target: string } | undefined> => {
    const here = await realpath(folder).catch(() => folder);
    if (walking.has(here)) return undefined;
    walking.add(here);
    const entries: Dirent[] = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const abs = resolve(folder, e.name);
      if (e.isSymbolicLink()) {
        const target = await realpath(abs).catch(() => undefined);
        if (target !== undefined && !isInside(target, root.real)) return { link: relative(dir, abs), target };
        if (target !== undefined && (await stat(target)).isDirectory()) {
          const found = await walk(abs);
          if (found) return found;
        }
      } else if (e.isDirectory()) {
        const found = await walk(abs);
        if (found) return found;
      }
    }
    walking.delete(here);
    return undefined;
  };
  return walk(dir);
}
