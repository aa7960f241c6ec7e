// `edgeopt cache info|gc`: what the store holds, and removing what no action record references.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ActionRecord } from './store.js';

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

/**
 * Drops action records older than `maxAgeDays` (by last use: a cache hit touches the record's mtime),
 * then every blob no remaining record names, and stale temp folders. Never run beside a live build.
 */
export async function collectGarbage(root: string, maxAgeDays: number, now = Date.now()): Promise<GcResult> {
  const result: GcResult = { removedActions: 0, removedBlobs: 0, freedBytes: 0 };
  const live = new Set<string>();
  const acDir = path.join(root, 'ac');
  for (const name of await listDir(acDir)) {
    const file = path.join(acDir, name);
    const st = await fs.stat(file);
    const tooOld = now - st.mtimeMs > maxAgeDays * 86_400_000;
    let record: ActionRecord | undefined;
    try {
      record = JSON.parse(await fs.readFile(file, 'utf8')) as ActionRecord;
    } catch {
      record = undefined;
    }
    if (tooOld || !record || !name.endsWith('.json')) {
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
    result.freedBytes += (await fs.stat(file)).size;
    await fs.rm(file, { force: true });
    result.removedBlobs++;
  }
  await fs.rm(path.join(root, 'tmp'), { recursive: true, force: true });
  return result;
}
