// Atomic writes: temp file in the same folder, fsync, rename, fsync the folder. Readers never see half a file.
import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsc } from 'node:fs';
import path from 'node:path';

export function tempNameFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

async function fsyncPath(p: string, flags: number = fsc.O_RDONLY): Promise<void> {
  const handle = await fs.open(p, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    await fsyncPath(dir);
  } catch {
    // some filesystems refuse fsync on directories; the rename is still atomic
  }
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = tempNameFor(target);
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
    await fsyncDir(path.dirname(target));
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** Moves (or copies, across filesystems) `source` to `target` atomically; the source's bytes are fsynced first. */
export async function moveFileAtomic(source: string, target: string): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fsyncPath(source, fsc.O_RDWR);
  const tmp = tempNameFor(target);
  try {
    try {
      await fs.rename(source, tmp);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await fs.copyFile(source, tmp, fsc.COPYFILE_FICLONE);
      await fsyncPath(tmp, fsc.O_RDWR);
    }
    await fs.rename(tmp, target);
    await fsyncDir(path.dirname(target));
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** Copies `source` to `target` atomically (reflink where the filesystem can). */
export async function copyFileAtomic(source: string, target: string): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = tempNameFor(target);
  try {
    await fs.copyFile(source, tmp, fsc.COPYFILE_FICLONE);
    await fsyncPath(tmp, fsc.O_RDWR);
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
