import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectGarbage, cacheInfo, GC_GRACE_MS } from '../../../src/cache/cache-maintenance.js';
import { HashMemo } from '../../../src/cache/hash-memo.js';
import { LocalStore } from '../../../src/cache/local-store.js';
import type { ActionRecord } from '../../../src/cache/store.js';

let dir: string;
beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'edgeopt-cache-')); });
afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

const record = (key: string, hash: string, size: number): ActionRecord => ({
  key, task: 'r:s', plugin: 'p', pluginVersion: '1', outputs: { 'model.onnx': { hash, size } }, roles: { model: 'model.onnx' },
  durationMs: 1, createdAt: new Date().toISOString(), keyInputs: {},
});

describe('LocalStore', () => {
  it('stores a blob by its sha256 and a record that names it', async () => {
    const store = new LocalStore(path.join(dir, 'cache'));
    const work = await store.makeTempDir('t');
    await fs.writeFile(path.join(work, 'f'), 'hello');
    const blob = await store.putBlob(path.join(work, 'f'));
    expect(blob.hash).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(await fs.readFile(store.blobPath(blob.hash), 'utf8')).toBe('hello');
    const key = 'a'.repeat(64);
    await store.putAction(record(key, blob.hash, blob.size));
    expect((await store.getAction(key))?.outputs['model.onnx']?.hash).toBe(blob.hash);
  });

  it('treats a record whose blob is gone, or a garbled record, as a miss', async () => {
    const store = new LocalStore(path.join(dir, 'cache'));
    const key = 'b'.repeat(64);
    await store.putAction(record(key, 'c'.repeat(64), 3));
    expect(await store.getAction(key)).toBeUndefined();
    await fs.writeFile(path.join(dir, 'cache', 'ac', `${'d'.repeat(64)}.json`), '{"key": trunc');
    expect(await store.getAction('d'.repeat(64))).toBeUndefined();
  });

  it('refuses keys and hashes that are not 64 hex digits (no path tricks)', async () => {
    const store = new LocalStore(path.join(dir, 'cache'));
    expect(() => store.blobPath('../../etc/passwd')).toThrow();
    await expect(store.getAction('../x')).rejects.toThrow();
  });

  it('gc keeps referenced blobs and drops the rest', async () => {
    const root = path.join(dir, 'cache');
    const store = new LocalStore(root);
    const work = await store.makeTempDir('t');
    await fs.writeFile(path.join(work, 'keep'), 'keep');
    await fs.writeFile(path.join(work, 'drop'), 'drop');
    const keep = await store.putBlob(path.join(work, 'keep'));
    await store.putBlob(path.join(work, 'drop'));
    await store.putAction(record('e'.repeat(64), keep.hash, keep.size));
    // an unreferenced blob younger than the grace period may be a live build's, committed but not yet recorded
    expect((await collectGarbage(root, 30)).removedBlobs).toBe(0);
    await fs.rm(work, { recursive: true });
    const r = await collectGarbage(root, 30, Date.now() + GC_GRACE_MS);
    expect(r.removedBlobs).toBe(1);
    expect(await store.hasBlob(keep.hash)).toBe(true);
    const info = await cacheInfo(root);
    expect(info).toMatchObject({ actions: 1, blobs: 1, tmpEntries: 0 });
    // an old record goes, and with it its blob
    expect((await collectGarbage(root, 1, Date.now() + 2 * 86_400_000)).removedBlobs).toBe(1);
  });

  it('gc leaves a live build alone: its temp folder, its half-written record, its fresh blobs', async () => {
    const root = path.join(dir, 'cache');
    const store = new LocalStore(root);
    const mine = await store.makeTempDir('r-step');
    expect(path.basename(mine)).toMatch(new RegExp(`^r-step\\.pid${process.pid}-`));
    // a folder of a live process (our parent stands in for a build running beside gc) and of a dead one
    const running = path.join(root, 'tmp', `r-s.pid${process.ppid}-abc123`);
    const crashed = path.join(root, 'tmp', 'r-s.pid999999999-abc123');
    await fs.mkdir(running);
    await fs.mkdir(crashed);
    await fs.mkdir(path.join(root, 'ac'), { recursive: true });
    const halfRecord = path.join(root, 'ac', `.${'a'.repeat(64)}.json.tmp-1-2`);
    await fs.writeFile(halfRecord, '{');
    await collectGarbage(root, 30);
    expect((await fs.readdir(path.join(root, 'tmp'))).sort()).toEqual([path.basename(running), path.basename(mine)].sort());
    expect(await fs.readdir(path.join(root, 'ac'))).toEqual([path.basename(halfRecord)]);
    // an hour on, the half record is a crash's leftover
    await collectGarbage(root, 30, Date.now() + GC_GRACE_MS);
    expect(await fs.readdir(path.join(root, 'ac'))).toEqual([]);
  });
});

describe('HashMemo', () => {
  it('re-reads a file only when size, mtime or inode change', async () => {
    const file = path.join(dir, 'm.bin');
    await fs.writeFile(file, Buffer.alloc(1 << 20, 1));
    const memo = await HashMemo.open(path.join(dir, 'memo.json'));
    const a = await memo.hashFile(file);
    await memo.hashFile(file);
    expect(memo.bytesHashed).toBe(1 << 20);
    await memo.save();
    const again = await HashMemo.open(path.join(dir, 'memo.json'));
    expect((await again.hashFile(file)).hash).toBe(a.hash);
    expect(again.bytesHashed).toBe(0);
    await fs.writeFile(file, Buffer.alloc(1 << 20, 2));
    const future = new Date(Date.now() + 5000);
    await fs.utimes(file, future, future);
    expect((await again.hashFile(file)).hash).not.toBe(a.hash);
  });

  it('follows links in a folder the way its readers do: a linked file\'s content is part of the hash', async () => {
    const d = path.join(dir, 'data');
    await fs.mkdir(d);
    await fs.writeFile(path.join(dir, 'real.npy'), 'v1');
    await fs.symlink(path.join(dir, 'real.npy'), path.join(d, 'x.npy'));
    await fs.symlink(d, path.join(d, 'loop')); // a link back up: walked once
    const memo = await HashMemo.open(undefined);
    const before = (await memo.hashDir(d)).hash;
    await fs.writeFile(path.join(dir, 'real.npy'), 'v2 (new data, same link)');
    const future = new Date(Date.now() + 5000);
    await fs.utimes(path.join(dir, 'real.npy'), future, future);
    expect((await memo.hashDir(d)).hash).not.toBe(before);
  });

  it('hashes a folder by its files’ names and contents', async () => {
    const d = path.join(dir, 'data');
    await fs.mkdir(d);
    await fs.writeFile(path.join(d, 'a.npy'), 'A');
    const memo = await HashMemo.open(undefined);
    const h1 = (await memo.hashDir(d)).hash;
    await fs.writeFile(path.join(d, 'b.npy'), 'B');
    const h2 = (await memo.hashDir(d)).hash;
    await fs.rename(path.join(d, 'b.npy'), path.join(d, 'c.npy'));
    const h3 = (await memo.hashDir(d)).hash;
    expect(new Set([h1, h2, h3]).size).toBe(3);
  });
});
