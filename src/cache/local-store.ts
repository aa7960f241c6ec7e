// The default store: `.edgeopt/cache/{cas,ac,tmp}` on local disk, every entry committed atomically.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { moveFileAtomic, writeFileAtomic } from './atomic-file.js';
import { hashFileStreaming } from './hash-memo.js';
import type { ActionRecord, BlobRef, Store } from './store.js';

const HEX64 = /^[0-9a-f]{64}$/;
/** between a temp folder's label and the pid of the process that made it: `<label>.pid<N>-<random>` */
export const TEMP_PID_MARK = '.pid';

export class LocalStore implements Store {
  constructor(readonly root: string) {}

  private acPath(key: string): string {
    if (!HEX64.test(key)) throw new Error(`not a cache key: ${key}`);
    return path.join(this.root, 'ac', `${key}.json`);
  }

  blobPath(hash: string): string {
    if (!HEX64.test(hash)) throw new Error(`not a content hash: ${hash}`);
    return path.join(this.root, 'cas', hash);
  }

  async getAction(key: string): Promise<ActionRecord | undefined> {
    let text: string;
    const file = this.acPath(key);
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    let record: ActionRecord;
    try {
      record = JSON.parse(text) as ActionRecord;
    } catch {
      return undefined; // unreadable record: treat as a miss, it is rewritten on success
    }
    for (const blob of Object.values(record.outputs)) {
      if (!(await this.hasBlob(blob.hash))) return undefined;
    }
    const now = new Date();
    await fs.utimes(file, now, now).catch(() => undefined); // last use, for `cache gc --max-age`
    return record;
  }

  async putAction(record: ActionRecord): Promise<void> {
    await writeFileAtomic(this.acPath(record.key), `${JSON.stringify(record, null, 2)}\n`);
  }

  async hasBlob(hash: string): Promise<boolean> {
    try {
      await fs.access(this.blobPath(hash));
      return true;
    } catch {
      return false;
    }
  }

  async putBlob(file: string): Promise<BlobRef> {
    const [hash, st] = await Promise.all([hashFileStreaming(file), fs.stat(file)]);
    const target = this.blobPath(hash);
    if (await this.hasBlob(hash)) {
      await fs.rm(file, { force: true });
    } else {
      await moveFileAtomic(file, target);
      await fs.chmod(target, 0o444);
    }
    return { hash, size: st.size };
  }

  async makeTempDir(label: string): Promise<string> {
    const base = path.join(this.root, 'tmp');
    await fs.mkdir(base, { recursive: true });
    // the label is for people reading the folder; capped so long recipe and step names never exceed NAME_MAX.
    // The pid lets `cache gc` tell a live build's folder from one a crash left behind.
    return fs.mkdtemp(path.join(base, `${label.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80)}${TEMP_PID_MARK}${process.pid}-`));
  }
}
