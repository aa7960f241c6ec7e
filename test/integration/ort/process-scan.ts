// Live processes read from /proc (Linux): find a benchmark's children and its load workers by their command lines.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  cmdline: string[];
}

function read(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces, so split after its closing parenthesis
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' || state === 'X') return undefined; // exited, not yet reaped: gone for our purposes
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return { pid, ppid: Number(ppid), cmdline };
  } catch {
    return undefined;
  }
}

/** Running processes whose command line has an argument equal to each of `args`. */
export function processesWith(...args: string[]): ProcessInfo[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => read(Number(d)))
    .filter((p): p is ProcessInfo => p !== undefined && args.every((a) => p.cmdline.includes(a)));
}

/** Running children of `ppid` whose command line mentions `fragment` somewhere. */
export function childrenOf(ppid: number, fragment: string): ProcessInfo[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => read(Number(d)))
    .filter((p): p is ProcessInfo => p !== undefined && p.ppid === ppid && p.cmdline.some((a) => a.includes(fragment)));
}

/** Polls until `check` holds or `ms` pass; returns whether it held (a liveness wait, not a timing assertion). */
export async function eventually(check: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}
