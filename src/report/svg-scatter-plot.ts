// Pareto scatter of candidate models (e.g. p90 latency vs size), the front drawn as a line, points linking to their report.
import { escapeMarkup } from './markup-escape.js';
import { formatValue } from './format-values.js';
import { paretoFront, type Better } from './pareto.js';
import { autoScale, linearScale } from './plot-scale.js';
import { DEFAULT_BOX, plotRanges, renderAxes, svgElement } from './svg-axes.js';

export interface ScatterPoint { label: string; x: number; y: number; kind: 'baseline' | 'final'; href?: string }

export interface ScatterSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  better: { x: Better; y: Better };
  colors: { baseline: string; final: string; front: string };
}

export function renderScatter(points: ScatterPoint[], spec: ScatterSpec): string {
  const box = { ...DEFAULT_BOX, height: 340 };
  const r = plotRanges(box);
  const pts = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const x = pts.length ? autoScale(pts.map((p) => p.x), r.x) : linearScale([0, 1], r.x);
  const y = pts.length ? autoScale(pts.map((p) => p.y), r.y) : linearScale([0, 1], r.y);
  const out: string[] = [renderAxes(box, x, y, spec.xLabel, spec.yLabel)];
  const front = paretoFront(pts, spec.better);
  if (front.length > 1) {
    const d = front.map((i, k) => `${k ? 'L' : 'M'}${x(pts[i]!.x).toFixed(1)},${y(pts[i]!.y).toFixed(1)}`).join('');
    out.push(`<path class="front" d="${d}" fill="none" stroke="${spec.colors.front}" stroke-width="2" stroke-dasharray="6 4"/>`);
  }
  const onFront = new Set(front);
  pts.forEach((p, i) => {
    const cx = x(p.x).toFixed(1);
    const cy = y(p.y).toFixed(1);
    const color = spec.colors[p.kind];
    const tip = `${p.label} (${p.kind}): ${spec.xLabel} ${formatValue(p.x)}, ${spec.yLabel} ${formatValue(p.y)}${onFront.has(i) ? ' · on the Pareto front' : ''}`;
    const dot = p.kind === 'final'
      ? `<circle class="point final" cx="${cx}" cy="${cy}" r="6" fill="${color}" stroke="${onFront.has(i) ? spec.colors.front : '#fff'}" stroke-width="2"><title>${escapeMarkup(tip)}</title></circle>`
      : `<circle class="point baseline" cx="${cx}" cy="${cy}" r="5" fill="#fff" stroke="${color}" stroke-width="2"><title>${escapeMarkup(tip)}</title></circle>`;
    const label = `<text class="point-label" x="${(Number(cx) + 9).toFixed(1)}" y="${(Number(cy) - 7).toFixed(1)}">${escapeMarkup(p.kind === 'final' ? p.label : `${p.label} (baseline)`)}</text>`;
    out.push(p.href ? `<a href="${escapeMarkup(p.href)}">${dot}${label}</a>` : `${dot}${label}`);
  });
  out.push(`<circle cx="${box.left + 6}" cy="13" r="5" fill="${spec.colors.final}"/><text class="legend" x="${box.left + 16}" y="17">optimized</text>`,
    `<circle cx="${box.left + 96}" cy="13" r="4" fill="#fff" stroke="${spec.colors.baseline}" stroke-width="2"/><text class="legend" x="${box.left + 106}" y="17">baseline</text>`,
    `<line x1="${box.left + 180}" x2="${box.left + 204}" y1="13" y2="13" stroke="${spec.colors.front}" stroke-width="2" stroke-dasharray="6 4"/><text class="legend" x="${box.left + 210}" y="17">Pareto front</text>`);
  return svgElement(box, 'scatter-plot', spec.title, out.join(''));
}
