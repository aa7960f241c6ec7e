// Baseline vs optimized bars, one row per metric, each row on its own zero-based scale (units differ).
import { HIGHER_IS_BETTER } from '../recipe/schema.js';
import { escapeMarkup } from './markup-escape.js';
import { formatValue } from './format-values.js';
import { svgElement, type PlotBox } from './svg-axes.js';

export interface BarRow { metric: string; unit: string; baseline?: number; final?: number }

const ROW = 46;
const LABEL = 150;
const VALUE = 150;

export function renderComparisonBars(rows: BarRow[], title: string, colors: { baseline: string; final: string }): string {
  const shown = rows.filter((r) => r.baseline !== undefined || r.final !== undefined);
  const box: PlotBox = { width: 680, height: 30 + shown.length * ROW, left: LABEL, right: VALUE, top: 30, bottom: 0 };
  const span = box.width - box.left - box.right;
  const out: string[] = [
    `<rect x="${box.left}" y="8" width="10" height="10" fill="${colors.baseline}"/><text class="legend" x="${box.left + 15}" y="17">baseline</text>`,
    `<rect x="${box.left + 90}" y="8" width="10" height="10" fill="${colors.final}"/><text class="legend" x="${box.left + 105}" y="17">optimized</text>`,
  ];
  shown.forEach((r, i) => {
    const top = box.top + i * ROW;
    const max = Math.max(r.baseline ?? 0, r.final ?? 0) || 1;
    out.push(`<text class="bar-label" x="${box.left - 8}" y="${top + 22}" text-anchor="end">${escapeMarkup(`${r.metric} (${r.unit})`)}</text>`);
    (['baseline', 'final'] as const).forEach((k, j) => {
      const v = r[k];
      const y = top + 4 + j * 18;
      if (v === undefined) {
        out.push(`<text class="tick" x="${box.left + 4}" y="${y + 12}">not measured</text>`);
        return;
      }
      const w = Math.max(1, (Math.max(0, v) / max) * span);
      out.push(`<rect class="bar" x="${box.left}" y="${y}" width="${w.toFixed(1)}" height="15" fill="${colors[k]}"><title>${escapeMarkup(`${k} ${r.metric}: ${formatValue(v)} ${r.unit}`)}</title></rect>`,
        `<text class="bar-value" x="${(box.left + w + 5).toFixed(1)}" y="${y + 12}">${formatValue(v)}</text>`);
    });
    const change = changeText(r);
    if (change) out.push(`<text class="delta ${change.cls}" x="${box.width - 4}" y="${top + 22}" text-anchor="end">${escapeMarkup(change.text)}</text>`);
  });
  return svgElement(box, 'bar-plot', title, out.join(''));
}

/** "−12.5 %" with a class saying whether that is better or worse for this metric. */
export function changeText(r: BarRow): { text: string; cls: 'better' | 'worse' | 'same' } | undefined {
  if (r.baseline === undefined || r.final === undefined || r.baseline === 0) return undefined;
  const rel = (r.final - r.baseline) / Math.abs(r.baseline);
  const pct = `${rel >= 0 ? '+' : '−'}${Math.abs(rel * 100).toFixed(1)} %`;
  if (Math.abs(rel) < 0.005) return { text: pct, cls: 'same' };
  const better = HIGHER_IS_BETTER.has(r.metric) ? rel > 0 : rel < 0;
  return { text: pct, cls: better ? 'better' : 'worse' };
}
