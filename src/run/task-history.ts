// Remembers each task's last key inputs, so a rebuild can say which input changed (like `dvc status`).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../cache/atomic-file.js';

export class TaskHistory {
  private constructor(private readonly file: string, private readonly entries: Record<string, Record<string, unknown>>) {}

  static async open(cacheRoot: string): Promise<TaskHistory> {
    const file = path.join(cacheRoot, 'task-history.json');
    try {
      return new TaskHistory(file, JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, Record<string, unknown>>);
    } catch {
      return new TaskHistory(file, {});
    }
  }

  last(taskId: string): Record<string, unknown> | undefined {
    return this.entries[taskId];
  }

  record(taskId: string, inputs: Record<string, unknown>): void {
    this.entries[taskId] = inputs;
  }

  async save(): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(this.entries));
  }
}
