// Before a build writes anything: can it write its folders? A read-only or foreign-owned .edgeopt is a usage error
// with a fix, not an EACCES from the middle of the first step.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EdgeoptError } from '../errors.js';

/** Creates `dir` if needed and proves a file can be created and removed in it; E_NOT_WRITABLE otherwise. */
export async function ensureWritableDir(dir: string, what: string, hint: string): Promise<void> {
  const probe = path.join(dir, `.write-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(probe, '');
    await fs.rm(probe, { force: true });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'the filesystem is read-only'
      : code === 'ENOSPC' ? 'the disk is full' : code === 'ENOTDIR' || code === 'EEXIST' ? 'a file is in the way of the folder' : code;
    throw new EdgeoptError({ code: 'E_NOT_WRITABLE', kind: 'usage', message: `cannot write the ${what} ${dir}: ${why} (${code})`, hint, cause });
  }
}
