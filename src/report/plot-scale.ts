// Axis scales for the SVG plots: linear or log10 mapping, and round tick values a reader can take in at a glance.

export interface Scale {
  (v: number): number;
  ticks: number[];
  log: boolean;
}

/** Round step (1, 2 or 5 × 10^k) giving about `count` intervals over [lo, hi]. */
export function niceStep(lo: number, hi: number, count: number): number {
  const raw = (hi - lo) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

/** Most ticks an axis gets, whatever its domain (a step far below the values' precision would be endless). */
const MAX_TICKS = 50;

/** A domain a scale can divide: finite, and wider than the rounding of its values (two values one ulp apart are not). */
function usableDomain(lo: number, hi: number): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    const v = [lo, hi].find(Number.isFinite);
    return v === undefined ? [0, 1] : usableDomain(v, v);
  }
  if (hi < lo) [lo, hi] = [hi, lo];
  const span = Math.max(Math.abs(lo), Math.abs(hi)) * 1e-6;
  if (hi - lo > span) return [lo, hi];
  const mid = (lo + hi) / 2;
  const half = mid === 0 ? 0.5 : Math.abs(mid) * 0.1;
  return [mid - half, mid + half];
}

export function linearScale(domain: [number, number], range: [number, number], tickCount = 5, zero = false): Scale {
  let [lo, hi] = usableDomain(...domain);
  if (zero) lo = Math.min(0, lo);
  const step = niceStep(lo, hi, tickCount);
  const tlo = Math.floor(lo / step) * step;
  const thi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  // by index, not by adding steps: a sum of steps drifts, and an addition below the value's ulp never moves
  const count = Math.min(MAX_TICKS, Math.round((thi - tlo) / step));
  for (let i = 0; i <= count; i++) ticks.push(Number((tlo + i * step).toPrecision(12)));
  const [r0, r1] = range;
  const f = ((v: number): number => r0 + ((v - tlo) / (thi - tlo)) * (r1 - r0)) as Scale;
  f.ticks = ticks;
  f.log = false;
  return f;
}

export function logScale(domain: [number, number], range: [number, number]): Scale {
  if (!(domain[0] > 0 && Number.isFinite(domain[1]) && domain[1] > 0)) return linearScale(domain, range);
  const e0 = Math.floor(Math.log10(domain[0]));
  const e1 = Math.max(e0 + 1, Math.ceil(Math.log10(domain[1])));
  const lo = 10 ** e0;
  const hi = 10 ** e1;
  const ticks: number[] = [];
  for (let e = e0; e <= Math.min(e1, e0 + MAX_TICKS); e++) ticks.push(Number((10 ** e).toPrecision(12)));
  const [r0, r1] = range;
  const f = ((v: number): number => r0 + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (r1 - r0)) as Scale;
  f.ticks = ticks;
  f.log = true;
  return f;
}

/** Log axis when positive values span more than `ratio`×, else linear. */
export function autoScale(values: number[], range: [number, number], ratio = 30): Scale {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return linearScale([0, 1], range);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (lo > 0 && hi / lo > ratio) return logScale([lo, hi], range);
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
  return linearScale([lo - pad, hi + pad], range);
}

export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}
