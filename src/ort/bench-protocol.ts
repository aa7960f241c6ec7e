// The messages between the bench runner and its child process (argv JSON in, IPC messages out).
import type { InputPin } from '../recipe/types.js';
import type { EpUnavailable } from './ep-resolve.js';
import type { EnergyReport } from './energy.js';
import type { OutputSplit } from './fetches.js';

export interface BenchJob {
  modelPath: string;
  ep: string[];
  threads: number;
  pins: Record<string, InputPin>;
  seed: number;
  warmup: number;
  /** minimum timed runs */
  runs: number;
  /** minimum total time of the timed runs */
  minTimeMs: number;
  /** stop the timed runs here even if `runs` is not reached */
  maxTimeMs: number;
  /** after loading, say `loaded` and wait for `go` (the runner starts background load in between) */
  holdForLoad?: boolean;
}

/** What the child measured; the runner adds statistics and file facts. */
export interface ChildMeasurement {
  ortVersion: string;
  ep: { ran: string; unavailable: EpUnavailable[] };
  loadMs: number;
  warmupRuns: number;
  /** outputs fetched (tensors) and the others, computed in every run but not fetched (onnxruntime-node cannot return them) */
  outputs: OutputSplit;
  samplesMs: number[];
  measureMs: number;
  capped: boolean;
  memory: { baselineRssBytes?: number; peakRssBytes?: number; maxRssBytes: number };
  energy: EnergyReport;
}

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'loaded' }
  | { type: 'progress'; phase: 'load' | 'warmup' | 'measure'; fraction: number }
  | { type: 'result'; measurement: ChildMeasurement }
  | { type: 'error'; code: string; kind: string; message: string; hint?: string };

/** Runner → child. */
export type RunnerMessage = { type: 'go' };
