// CPU package energy from Linux powercap (RAPL) around the timed runs; says why when it cannot be measured.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const POWERCAP = '/sys/class/powercap';

export type EnergyReport =
  | { measurable: false; reason: string }
  | {
    measurable: true;
    joules_per_inference: number;
    mean_power_w: number;
    source: 'rapl';
    /** RAPL counts the whole CPU package(s), including other processes: a machine-level figure */
    scope: string;
    domains: string[];
  };

export interface EnergyMeter {
  /** call with the number of inferences and elapsed ms between start() and now */
  finish(inferences: number, elapsedMs: number): EnergyReport;
}

interface Domain { dir: string; max: number }

function readNumber(file: string): number {
  return Number(readFileSync(file, 'utf8').trim());
}

/** Top-level package domains (intel-rapl:0, intel-rapl:1; AMD CPUs use the same names), or why there are none. */
function findDomains(): Domain[] | string {
  let entries: string[];
  try {
    entries = readdirSync(POWERCAP);
  } catch {
    return `${POWERCAP} does not exist: this machine exposes no RAPL energy counters`;
  }
  const packages = entries.filter((e) => /^intel-rapl:\d+$/.test(e));
  if (packages.length === 0) return `no intel-rapl:N package domain under ${POWERCAP}`;
  try {
    return packages.map((p) => {
      const dir = path.join(POWERCAP, p);
      readNumber(path.join(dir, 'energy_uj'));
      return { dir, max: readNumber(path.join(dir, 'max_energy_range_uj')) };
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'EACCES'
      ? 'RAPL energy_uj is readable by root only (Linux ≥ 5.10, CVE-2020-8694)'
      : `RAPL counters could not be read: ${(err as Error).message}`;
  }
}

/** Starts counting energy now; `finish` gives joules per inference, or `{ measurable: false, reason }`. */
export function startEnergyMeter(): EnergyMeter {
  const domains = findDomains();
  if (typeof domains === 'string') {
    const report: EnergyReport = { measurable: false, reason: domains };
    return { finish: () => report };
  }
  const before = domains.map((d) => readNumber(path.join(d.dir, 'energy_uj')));
  return {
    finish(inferences: number, elapsedMs: number): EnergyReport {
      const microjoules = domains.reduce((sum, d, i) => {
        const delta = readNumber(path.join(d.dir, 'energy_uj')) - before[i]!;
        return sum + (delta >= 0 ? delta : delta + d.max); // the counter wraps at max_energy_range_uj
      }, 0);
      const joules = microjoules / 1e6;
      return {
        measurable: true,
        joules_per_inference: joules / Math.max(1, inferences),
        mean_power_w: elapsedMs > 0 ? joules / (elapsedMs / 1000) : 0,
        source: 'rapl',
        scope: 'whole CPU package(s), all processes',
        domains: domains.map((d) => path.basename(d.dir)),
      };
    },
  };
}
