// Runs one command in its own process group: a timeout or Ctrl-C ends the whole tree it started (no orphans, no
// grandchild holding the pipes open), and only the tail of its output is kept however much it writes.
import { execa } from 'execa';

export interface CommandResult {
  exitCode?: number;
  signal?: string;
  /** why it did not finish by itself: the timeout, or an abort (Ctrl-C, SIGTERM) */
  stopped?: 'timeout' | 'aborted';
  /** a spawn failure (ENOENT: no such program, EACCES: not executable) */
  spawnError?: string;
  /** the last bytes of stdout and stderr interleaved, and of stdout alone */
  tail: string;
  stdoutTail: string;
}

export interface CommandOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs?: number;
  signal: AbortSignal;
}

/** Output kept for the error message and the step's metrics: enough for any real error, bounded for `yes`. */
export const TAIL_BYTES = 64 * 1024;
/** How long the command gets between SIGTERM and SIGKILL. */
const GRACE_MS = 2000;

/** The last `limit` bytes written to it. */
class Tail {
  private chunks: Buffer[] = [];
  private bytes = 0;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.bytes - (this.chunks[0]?.length ?? 0) >= this.limit) this.bytes -= this.chunks.shift()!.length;
  }
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}

export async function runCommand(file: string, args: string[], options: CommandOptions): Promise<CommandResult> {
  const all = new Tail(TAIL_BYTES);
  const stdout = new Tail(TAIL_BYTES);
  const group = process.platform !== 'win32';
  const child = execa(file, args, {
    cwd: options.cwd, env: options.env, reject: false, stdin: 'ignore', buffer: false, detached: group, cleanup: true,
  });
  let stopped: CommandResult['stopped'];
  let killTimer: NodeJS.Timeout | undefined;
  const kill = (signal: NodeJS.Signals): void => {
    try {
      if (group && child.pid !== undefined) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      // the group is already gone
    }
  };
  const stop = (why: 'timeout' | 'aborted'): void => {
    stopped ??= why;
    kill('SIGTERM');
    killTimer ??= setTimeout(() => kill('SIGKILL'), GRACE_MS);
  };
  child.stdout?.on('data', (c: Buffer) => { stdout.push(c); all.push(c); });
  child.stderr?.on('data', (c: Buffer) => all.push(c));
  // what the command left running in its group would keep the pipes open and outlive the step
  child.on('exit', () => { kill('SIGTERM'); killTimer ??= setTimeout(() => kill('SIGKILL'), GRACE_MS); });
  const timeout = options.timeoutMs ? setTimeout(() => stop('timeout'), options.timeoutMs) : undefined;
  const onAbort = (): void => stop('aborted');
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) onAbort();
  // edgeopt exiting (a second Ctrl-C exits at once) takes the command's whole group with it
  const onExit = (): void => kill('SIGKILL');
  process.once('exit', onExit);
  try {
    const result = await child;
    const spawnError = result.exitCode === undefined && !result.signal ? (result.cause as NodeJS.ErrnoException | undefined)?.code : undefined;
    return {
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      ...(result.signal ? { signal: result.signal } : {}),
      ...(stopped ? { stopped } : {}),
      ...(spawnError ? { spawnError } : {}),
      tail: all.text(),
      stdoutTail: stdout.text(),
    };
  } finally {
    clearTimeout(timeout);
    clearTimeout(killTimer);
    options.signal.removeEventListener('abort', onAbort);
    process.off('exit', onExit);
  }
}
