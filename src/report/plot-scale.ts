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

export function linearScale(domain: [number, number], range: [number, number], tickCount = 5, zero = false): Scale {
  let [lo, hi] = domain;
  if (zero) lo = Math.min(0, lo);
  if (!(hi > lo)) hi = lo + (lo === 0 ? 1 : Math.abs(lo) * 0.1);
  const step = niceStep(lo, hi, tickCount);
  const tlo = Math.floor(lo / step) * step;
  const thi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = tlo; t <= thi + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  const [r0, r1] = range;
  const f = ((v: number): number => r0 + ((v - tlo) / (thi - tlo)) * (r1 - r0)) as Scale;
  f.ticks = ticks;
  f.log = false;
  return f;
}

export function logScale(domain: [number, number], range: [number, number]): Scale {
  const lo = 10 ** Math.floor(Math.log10(domain[0]));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(domain[1], domain[0] * 1.0001)));
  const ticks: number[] = [];
  for (let t = lo; t <= hi * 1.0001; t *= 10) ticks.push(Number(t.toPrecision(12)));
  const [r0, r1] = range;
  const f = ((v: number): number => r0 + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (r1 - r0)) as Scale;
  f.ticks = ticks;
  f.log = true;
  return f;
}

/** Log axis when positive values span more than `ratio`×, else linear. */
export function autoScale(values: number[], range: [number, number], ratio = 30): Scale {
  const finite = values.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (finite.length > 0 && lo > 0 && hi / lo > ratio) return logScale([lo, hi], range);
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
  return linearScale([lo - pad, hi + pad], range);
}

export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}
