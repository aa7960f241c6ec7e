// Reads a verdict's confidence interval (the noise-aware gate adds `interval`), and words it for the renderers.
import { formatValue } from './format-values.js';

export interface VerdictInterval {
  lo: number;
  hi: number;
  /** 0.95 (or 95): the interval's confidence level */
  confidence?: number;
  samples?: number;
}

/** The verdict's interval when it carries a well-formed one; read loosely so older and newer reports both render. */
export function verdictInterval(verdict: object): VerdictInterval | undefined {
  const iv = (verdict as { interval?: unknown }).interval;
  if (!iv || typeof iv !== 'object') return undefined;
  const { lo, hi, confidence, samples } = iv as Record<string, unknown>;
  if (typeof lo !== 'number' || typeof hi !== 'number' || !Number.isFinite(lo) || !Number.isFinite(hi)) return undefined;
  const out: VerdictInterval = { lo, hi };
  if (typeof confidence === 'number' && confidence > 0) out.confidence = confidence;
  if (typeof samples === 'number') out.samples = samples;
  return out;
}

/** "95% CI 1.02–1.10 (n=200)" */
export function intervalText(iv: VerdictInterval): string {
  const level = iv.confidence === undefined ? '' : `${formatValue(Number((iv.confidence <= 1 ? iv.confidence * 100 : iv.confidence).toPrecision(4)))}% `;
  const n = iv.samples === undefined ? '' : ` (n=${iv.samples})`;
  return `${level}CI ${formatValue(iv.lo)}–${formatValue(iv.hi)}${n}`;
}
