// The frame shared by the SVG plots: plot box, gridlines, tick labels and axis titles.
import { escapeMarkup } from './markup-escape.js';
import { formatTick, type Scale } from './plot-scale.js';

export interface PlotBox { width: number; height: number; left: number; right: number; top: number; bottom: number }

export const DEFAULT_BOX: PlotBox = { width: 680, height: 300, left: 64, right: 20, top: 30, bottom: 46 };

/** x pixel range and y pixel range (y inverted: larger values higher up) of a box. */
export function plotRanges(b: PlotBox): { x: [number, number]; y: [number, number] } {
  return { x: [b.left, b.width - b.right], y: [b.height - b.bottom, b.top] };
}

const n = (v: number): string => String(Math.round(v * 10) / 10);

export function renderAxes(box: PlotBox, x: Scale, y: Scale, xLabel: string, yLabel: string): string {
  const [x0, x1] = plotRanges(box).x;
  const [y0, y1] = plotRanges(box).y;
  const out: string[] = [`<rect class="plot-bg" x="${x0}" y="${y1}" width="${x1 - x0}" height="${y0 - y1}"/>`];
  for (const t of y.ticks) {
    const py = y(t);
    if (py < y1 - 0.5 || py > y0 + 0.5) continue;
    out.push(`<line class="grid" x1="${x0}" x2="${x1}" y1="${n(py)}" y2="${n(py)}"/>`,
      `<text class="tick" x="${x0 - 6}" y="${n(py + 4)}" text-anchor="end">${formatTick(t)}</text>`);
  }
  for (const t of x.ticks) {
    const px = x(t);
    if (px < x0 - 0.5 || px > x1 + 0.5) continue;
    out.push(`<line class="grid" x1="${n(px)}" x2="${n(px)}" y1="${y1}" y2="${y0}"/>`,
      `<text class="tick" x="${n(px)}" y="${y0 + 16}" text-anchor="middle">${formatTick(t)}</text>`);
  }
  out.push(`<line class="axis" x1="${x0}" x2="${x1}" y1="${y0}" y2="${y0}"/>`, `<line class="axis" x1="${x0}" x2="${x0}" y1="${y1}" y2="${y0}"/>`,
    `<text class="axis-title" x="${(x0 + x1) / 2}" y="${box.height - 8}" text-anchor="middle">${escapeMarkup(xLabel)}${x.log ? ' (log)' : ''}</text>`,
    `<text class="axis-title" transform="translate(14 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">${escapeMarkup(yLabel)}${y.log ? ' (log)' : ''}</text>`);
  return out.join('');
}

/** An <svg> element sized by its viewBox so it scales with the page. */
export function svgElement(box: PlotBox, cls: string, label: string, body: string): string {
  return `<svg class="plot ${cls}" role="img" aria-label="${escapeMarkup(label)}" viewBox="0 0 ${box.width} ${box.height}" xmlns="http://www.w3.org/2000/svg"><title>${escapeMarkup(label)}</title>${body}</svg>`;
}
