// Remembers each task's last key inputs, so a rebuild can say which input changed (like `dvc status`).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../cache/atomic-file.js';

type Entries = Record<string, Record<string, unknown>>;

async function readHistory(file: string): Promise<Entries> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Entries;
  } catch {
    return {};
  }
}

export class TaskHistory {
  /** tasks this build recorded: on save they win over what another build wrote meanwhile */
  private readonly recorded = new Set<string>();

  private constructor(private readonly file: string, private readonly entries: Entries) {}

  static async open(cacheRoot: string): Promise<TaskHistory> {
    const file = path.join(cacheRoot, 'task-history.json');
    return new TaskHistory(file, await readHistory(file));
  }

  last(taskId: string): Record<string, unknown> | undefined {
    return this.entries[taskId];
  }

  record(taskId: string, inputs: Record<string, unknown>): void {
    this.entries[taskId] = inputs;
    this.recorded.add(taskId);
  }

  /** Writes the history merged with a concurrent build's (read-merge-write: see HashMemo.save). */
  async save(): Promise<void> {
    const merged = await readHistory(this.file);
    for (const id of this.recorded) merged[id] = this.entries[id]!;
    await writeFileAtomic(this.file, JSON.stringify(merged));
  }
}
