// Peak resident memory while the step runs: sampled at each phase and node (synchronous work starves timers), plus the process peak.
import v8 from 'node:v8';
import vm from 'node:vm';

export interface ResourceReport {
  /** highest RSS seen while the step ran, MB */
  peak_rss_mb: number;
  /** highest RSS of the whole process so far (includes earlier work in the same process), MB */
  process_peak_rss_mb: number;
  /** highest RSS seen up to the end of each phase marked, MB (e.g. before ORT loads the models to verify them) */
  phases: Record<string, number>;
  seconds: number;
}

export interface ResourceSampler {
  sample(): void;
  /** records the peak so far under `phase` */
  mark(phase: string): void;
  stop(): ResourceReport;
}

const MB = 1024 * 1024;

export function startResourceSampler(intervalMs = 50): ResourceSampler {
  const started = performance.now();
  let peak = process.memoryUsage.rss();
  const sample = (): void => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  };
  // catches the peaks of async phases (ORT sessions); synchronous loops call sample() themselves
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  const phases: Record<string, number> = {};
  const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;
  return {
    sample,
    mark: (phase) => {
      sample();
      phases[phase] = mb(peak);
    },
    stop: () => {
      clearInterval(timer);
      sample();
      return {
        peak_rss_mb: mb(peak),
        process_peak_rss_mb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
        phases,
        seconds: Math.round((performance.now() - started) / 10) / 100,
      };
    },
  };
}

let gc: (() => void) | undefined;

/**
 * A full V8 collection, now. Between dropping a model and loading models in ORT this is what keeps the step near
 * one copy of the model: V8 sees none of ORT's native allocations, so without it the dropped weights stay until some
 * later collection while ORT allocates beside them (measured on a 256 MB model, int4: peak 777 MB without, 488 with).
 * Uses the process's `gc` when node runs with --expose-gc, else exposes it (a flag V8 accepts at run time).
 */
export function collectGarbage(): void {
  if (!gc) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) gc = exposed;
    else {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    }
  }
  gc();
}
