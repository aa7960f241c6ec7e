// File content hashes, memoized by (path, size, mtime, inode) so an unchanged multi-GB model is not re-read.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { hashOf } from './canonical-json.js';

interface MemoEntry {
  size: number;
  mtimeMs: number;
  ino: number;
  hash: string;
  /** files this one refers to (an ONNX model's external data), found when the file was last hashed */
  side?: string[];
}

export async function hashFileStreaming(file: string): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(file, { highWaterMark: 4 * 1024 * 1024 });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function readMemoFile(file: string): Promise<Map<string, MemoEntry>> {
  try {
    return new Map(Object.entries(JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, MemoEntry>));
  } catch {
    return new Map(); // a missing or unreadable memo only costs a re-hash
  }
}

export class HashMemo {
  private entries = new Map<string, MemoEntry>();
  /** paths this process hashed: on save they win over what another build wrote meanwhile */
  private readonly touched = new Set<string>();
  private dirty = false;
  /** bytes actually read (not served from the memo) since creation */
  bytesHashed = 0;

  private constructor(private readonly file: string | undefined) {}

  static async open(file: string | undefined): Promise<HashMemo> {
    const memo = new HashMemo(file);
    if (file) memo.entries = await readMemoFile(file);
    return memo;
  }

  async hashFile(file: string): Promise<{ hash: string; size: number }> {
    const abs = path.resolve(file);
    const st = await fs.stat(abs);
    const hit = this.fresh(abs, st);
    if (hit) return { hash: hit.hash, size: st.size };
    const hash = await hashFileStreaming(abs);
    this.bytesHashed += st.size;
    this.entries.set(abs, { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, hash });
    this.touched.add(abs);
    this.dirty = true;
    return { hash, size: st.size };
  }

  private fresh(abs: string, st: { size: number; mtimeMs: number; ino: number }): MemoEntry | undefined {
    const hit = this.entries.get(abs);
    return hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs && hit.ino === st.ino ? hit : undefined;
  }

  /**
   * Hash of a file together with the files it refers to (relative names), e.g. an ONNX model and its external
   * data: editing the weights file alone must change the model's identity. `findSide` runs only when the main
   * file changed; its answer is memoized with the file's hash.
   */
  async hashWithSideFiles(file: string, findSide: (file: string) => Promise<string[]>): Promise<{ hash: string; size: number }> {
    const abs = path.resolve(file);
    const main = await this.hashFile(abs);
    const entry = this.entries.get(abs)!;
    if (entry.side === undefined) {
      entry.side = [...new Set(await findSide(abs))].sort();
      this.touched.add(abs);
      this.dirty = true;
    }
    if (entry.side.length === 0) return main;
    const parts: Array<[string, string]> = [['', main.hash]];
    let size = main.size;
    for (const rel of entry.side) {
      const h = await this.hashFile(path.resolve(path.dirname(abs), rel));
      parts.push([rel, h.hash]);
      size += h.size;
    }
    return { hash: hashOf(parts), size };
  }

  /**
   * Hash of a folder: its files' relative names and content hashes, sorted (dotfiles ignored). Symlinks are followed
   * as the readers of the folder follow them (a linked file's content is part of the dataset); a link back to a
   * folder already being walked is not entered twice.
   */
  async hashDir(dir: string): Promise<{ hash: string; size: number }> {
    const files: Array<[string, string]> = [];
    let size = 0;
    const walking = new Set<string>();
    const walk = async (sub: string): Promise<void> => {
      const here = await fs.realpath(path.join(dir, sub));
      if (walking.has(here)) return;
      walking.add(here);
      const entries = await fs.readdir(path.join(dir, sub), { withFileTypes: true });
      for (const e of entries) {
        if (e.name.startsWith('.')) continue;
        const rel = sub ? `${sub}/${e.name}` : e.name;
        const kind = e.isSymbolicLink() ? await fs.stat(path.join(dir, rel)).catch(() => undefined) : e;
        if (kind?.isDirectory()) await walk(rel);
        else if (kind?.isFile()) {
          const h = await this.hashFile(path.join(dir, rel));
          files.push([rel, h.hash]);
          size += h.size;
        }
      }
      walking.delete(here);
    };
    await walk('');
    files.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { hash: hashOf(files), size };
  }

  async hashPath(p: string): Promise<{ hash: string; size: number }> {
    const st = await fs.stat(p);
    return st.isDirectory() ? this.hashDir(p) : this.hashFile(p);
  }

  /**
   * Writes the memo, merged with what another build in the same project may have saved since this one read it
   * (read-merge-write, not a lock: two saves in the same millisecond can still drop entries, which costs a re-hash).
   */
  async save(): Promise<void> {
    if (!this.file || !this.dirty) return;
    const merged = await readMemoFile(this.file);
    for (const key of this.touched) merged.set(key, this.entries.get(key)!);
    this.entries = merged;
    await writeFileAtomic(this.file, JSON.stringify(Object.fromEntries(merged)));
    this.dirty = false;
  }
}
