// Puts a task's input files (blobs in the store) into a folder under their original names, without copying.
import { promises as fs, constants as fsc } from 'node:fs';
import path from 'node:path';
import type { BlobRef, Store } from '../cache/store.js';

/**
 * Puts each blob at `dir/<name>`; returns `dir`. 'link' hard-links (task inputs: plugins only read them);
 * 'copy' gives the user files of their own (a reflink where the filesystem can), so editing them cannot touch the cache.
 */
export async function materialize(store: Store, files: Record<string, BlobRef>, dir: string, mode: 'link' | 'copy' = 'link'): Promise<string> {
  for (const [name, blob] of Object.entries(files)) {
    const target = path.join(dir, name);
    if (!target.startsWith(dir + path.sep)) throw new Error(`output name escapes its folder: ${name}`);
    await fs.mkdir(path.dirname(target), { recursive: true });
    if (mode === 'link') {
      try {
        await fs.link(store.blobPath(blob.hash), target);
        continue;
      } catch {
        // another filesystem: fall through to a copy
      }
    }
    await fs.copyFile(store.blobPath(blob.hash), target, fsc.COPYFILE_FICLONE);
    await fs.chmod(target, 0o644);
  }
  return dir;
}
