// This process's resident memory from /proc/self/status (Linux), which sees ORT's native allocations, unlike V8's heap.
import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  /** current resident set (VmRSS), bytes; undefined where /proc is absent */
  rssBytes?: number;
  /** peak resident set since start (VmHWM), bytes */
  peakRssBytes?: number;
  /** getrusage maxRSS, bytes (portable; Linux reports it in KiB) */
  maxRssBytes: number;
}

function statusField(status: string, key: string): number | undefined {
  const m = new RegExp(`^${key}:\\s+(\\d+)\\s*kB`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** Reads VmRSS and VmHWM (kB in /proc are KiB) and getrusage's maxRSS. */
export function processMemory(): ProcessMemory {
  let status = '';
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    // not Linux: only maxRSS is known
  }
  const rss = statusField(status, 'VmRSS');
  const peak = statusField(status, 'VmHWM');
  return {
    ...(rss !== undefined ? { rssBytes: rss } : {}),
    ...(peak !== undefined ? { peakRssBytes: peak } : {}),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}
