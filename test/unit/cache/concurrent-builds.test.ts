// Two builds in one project at once: the memo and history files they both rewrite keep what each of them learnt.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HashMemo } from '../../../src/cache/hash-memo.js';
import { TaskHistory } from '../../../src/run/task-history.js';

let dir: string;
beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'edgeopt-concurrent-')); });
afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

describe('builds that overlap in time', () => {
  it('keep both hash memos: each read the file before the other saved it', async () => {
    const memoFile = path.join(dir, 'hash-memo.json');
    const [a, b] = [path.join(dir, 'a.onnx'), path.join(dir, 'b.onnx')];
    await fs.writeFile(a, 'A');
    await fs.writeFile(b, 'B');
    const first = await HashMemo.open(memoFile);
    const second = await HashMemo.open(memoFile);
    await first.hashFile(a);
    await second.hashFile(b);
    await first.save();
    await second.save();
    const after = await HashMemo.open(memoFile);
    await after.hashFile(a);
    await after.hashFile(b);
    expect(after.bytesHashed).toBe(0); // both hashes were remembered: nothing is read again
  });

  it('keep both task histories, the later build winning for a task both ran', async () => {
    const first = await TaskHistory.open(dir);
    const second = await TaskHistory.open(dir);
    first.record('a:opt', { params: 1 });
    first.record('shared:opt', { params: 'first' });
    second.record('b:opt', { params: 2 });
    second.record('shared:opt', { params: 'second' });
    await first.save();
    await second.save();
    const after = await TaskHistory.open(dir);
    expect([after.last('a:opt'), after.last('b:opt'), after.last('shared:opt')]).toEqual([{ params: 1 }, { params: 2 }, { params: 'second' }]);
  });
});
