// Atomic file output: write a temp file in the target's folder, fsync it, rename it over the target, fsync the folder.
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** A prepared temp file: `commit()` renames it into place, `discard()` removes it. */
export interface PendingFile {
  target: string;
  temp: string;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

async function fsyncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // some filesystems refuse fsync on a directory; the rename itself is still atomic
  } finally {
    await handle?.close();
  }
}

/**
 * Runs `fill` on a fresh temp file next to `target` and fsyncs it; nothing is visible at `target` until `commit()`.
 * On failure the temp file is removed and the error is rethrown.
 */
export async function prepareFile(target: string, fill: (handle: FileHandle) => Promise<void>): Promise<PendingFile> {
  const dir = path.dirname(path.resolve(target));
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    await fill(handle);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return {
    target,
    temp,
    async commit(): Promise<void> {
      await rename(temp, target);
      await fsyncDir(dir);
    },
    async discard(): Promise<void> {
      await unlink(temp).catch(() => undefined);
    },
  };
}

/** Writes a whole file atomically. */
export async function writeFileAtomic(target: string, fill: (handle: FileHandle) => Promise<void>): Promise<void> {
  const pending = await prepareFile(target, fill);
  await pending.commit();
}

/** Node refuses single reads/writes above 2 GiB - 1; big tensors go through in 1 GiB slices. */
export const IO_CHUNK_BYTES = 2 ** 30;

/** Writes all of `bytes` at the handle's current position (FileHandle#write may write less than asked). */
export async function writeFully(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, Math.min(bytes.length - done, IO_CHUNK_BYTES));
    done += bytesWritten;
  }
}
