// `edgeopt cache info|gc`: what the store holds, and removing what no action record references.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { TEMP_PID_MARK } from './local-store.js';
import type { ActionRecord } from './store.js';

/**
 * What gc never removes, however unreferenced: entries changed within the last hour. A build that runs meanwhile has
 * committed blobs it has not yet written the record for, and temp files it is about to rename (git gc keeps loose
 * objects two weeks for the same reason).
 */
export const GC_GRACE_MS = 60 * 60 * 1000;

export interface CacheInfo {
  root: string;
  actions: number;
  blobs: number;
  blobBytes: number;
  tmpEntries: number;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}

export async function cacheInfo(root: string): Promise<CacheInfo> {
  const blobs = (await listDir(path.join(root, 'cas'))).filter((n) => !n.startsWith('.'));
  let blobBytes = 0;
  for (const b of blobs) blobBytes += (await fs.stat(path.join(root, 'cas', b))).size;
  return {
    root,
    actions: (await listDir(path.join(root, 'ac'))).filter((n) => n.endsWith('.json')).length,
    blobs: blobs.length,
    blobBytes,
    tmpEntries: (await listDir(path.join(root, 'tmp'))).length,
  };
}

export interface GcResult {
  removedActions: number;
  removedBlobs: number;
  freedBytes: number;
}

/** Whether a process with this pid runs on this machine (a zombie has ended). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, but another user's
  }
}

/** A temp folder a live build is using: the process named in it still runs (no name: it changed within the grace). */
function tempInUse(name: string, changedMs: number, now: number): boolean {
  const pid = new RegExp(`\\${TEMP_PID_MARK}(\\d+)-[^-]*$`).exec(name)?.[1];
  if (pid === undefined) return now - changedMs < GC_GRACE_MS;
  return processAlive(Number(pid));
}

async function changedAt(file: string): Promise<number | undefined> {
  // ctime: a commit renames and chmods the blob, so ctime is when it entered the store (mtime is the plugin's)
  return fs.stat(file).then((st) => st.ctimeMs, () => undefined);
}

/**
 * Drops action records older than `maxAgeDays` (by last use: a cache hit touches the record's mtime),
 * then every blob no remaining record names, and temp folders no live build uses. Anything changed within the last
 * hour stays, so a build running beside gc keeps what it has committed but not yet recorded.
 */
export async function collectGarbage(root: string, maxAgeDays: number, now = Date.now()): Promise<GcResult> {
  const result: GcResult = { removedActions: 0, removedBlobs: 0, freedBytes: 0 };
  const live = new Set<string>();
  const acDir = path.join(root, 'ac');
  for (const name of await listDir(acDir)) {
    const file = path.join(acDir, name);
    const st = await fs.stat(file).catch(() => undefined);
    if (!st) continue; // another gc or a build's rename got there first
    if (!name.endsWith('.json')) {
      // a record being written (.<key>.json.tmp-…): the writer renames it soon, unless it crashed long ago
      if (now - st.ctimeMs >= GC_GRACE_MS) await fs.rm(file, { force: true });
      continue;
    }
    const tooOld = now - st.mtimeMs > maxAgeDays * 86_400_000;
    let record: ActionRecord | undefined;
    try {
      record = JSON.parse(await fs.readFile(file, 'utf8')) as ActionRecord;
    } catch {
      record = undefined;
    }
    if (tooOld || !record) {
      await fs.rm(file, { force: true });
      result.removedActions++;
      continue;
    }
    for (const blob of Object.values(record.outputs)) live.add(blob.hash);
  }
  const casDir = path.join(root, 'cas');
  for (const name of await listDir(casDir)) {
    if (live.has(name)) continue;
    const file = path.join(casDir, name);
    const changed = await changedAt(file);
    if (changed === undefined || now - changed < GC_GRACE_MS) continue;
    result.freedBytes += (await fs.stat(file).catch(() => ({ size: 0 }))).size;
    await fs.rm(file, { force: true });
    if (!name.startsWith('.')) result.removedBlobs++;
  }
  const tmpDir = path.join(root, 'tmp');
  for (const name of await listDir(tmpDir)) {
    const changed = await changedAt(path.join(tmpDir, name));
    if (changed === undefined || tempInUse(name, changed, now)) continue;
    await fs.rm(path.join(tmpDir, name), { recursive: true, force: true });
  }
  return result;
}
