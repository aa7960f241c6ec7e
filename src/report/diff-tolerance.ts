// `--tolerance` specs for `edgeopt diff`: "5%" for every metric, "latency.p90_ms=10%" or "size_mb=0.05" (absolute) for one.
import { EdgeoptError } from '../errors.js';
import { closest } from '../recipe/did-you-mean.js';
import { SLO_METRICS } from '../recipe/schema.js';

/** How much worse a metric may get before the diff fails: a fraction of the old value, or an amount in its unit. */
export type Tolerance = { relative: number } | { absolute: number };

export interface Tolerances {
  default: Tolerance;
  byMetric: Record<string, Tolerance>;
}

export const DEFAULT_TOLERANCE: Tolerance = { relative: 0.05 };

const usage = (message: string, hint: string): EdgeoptError => new EdgeoptError({ code: 'E_USAGE', kind: 'usage', message, hint });

function parseAmount(text: string, spec: string): Tolerance {
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (pct) return { relative: Number(pct[1]) / 100 };
  if (/^\d+(?:\.\d+)?(?:e-?\d+)?$/i.test(text)) return { absolute: Number(text) };
  throw usage(`--tolerance ${spec}: "${text}" is neither a percentage (5%) nor an amount (0.05)`,
    'e.g. --tolerance 5% (every metric), --tolerance latency.p90_ms=10%, --tolerance accuracy.top1=0.01');
}

export function parseTolerances(specs: readonly string[]): Tolerances {
  const out: Tolerances = { default: DEFAULT_TOLERANCE, byMetric: {} };
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq < 0) {
      out.default = parseAmount(spec.trim(), spec);
      continue;
    }
    const metric = spec.slice(0, eq).trim();
    if (!(SLO_METRICS as readonly string[]).includes(metric)) {
      const guess = closest(metric, SLO_METRICS);
      throw usage(`--tolerance ${spec}: unknown metric "${metric}"`, guess ? `did you mean ${guess}?` : `metrics: ${SLO_METRICS.join(', ')}`);
    }
    out.byMetric[metric] = parseAmount(spec.slice(eq + 1).trim(), spec);
  }
  return out;
}

export function toleranceFor(t: Tolerances, metric: string): Tolerance {
  return t.byMetric[metric] ?? t.default;
}

export function toleranceText(t: Tolerance): string {
  return 'relative' in t ? `${Number((t.relative * 100).toPrecision(6))}%` : String(t.absolute);
}
