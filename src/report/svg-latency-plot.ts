// Latency distribution plot: overlaid histograms (baseline vs final) with p50/p90 markers, binned, never one element per sample.
import { escapeMarkup } from './markup-escape.js';
import { binSamples, quantileSorted, sharedRange, sortedFinite } from './latency-histogram.js';
import { formatValue } from './format-values.js';
import { linearScale } from './plot-scale.js';
import { DEFAULT_BOX, plotRanges, renderAxes, svgElement } from './svg-axes.js';

export interface LatencySeries { label: string; samples: readonly number[]; color: string }

const BINS = 60;

/** The SVG, and notes on the far tail the x range leaves out (for the caption). */
export function renderLatencyPlot(series: LatencySeries[], title: string): { svg: string; notes: string[] } {
  const box = DEFAULT_BOX;
  const sorted = series.map((s) => sortedFinite(s.samples));
  const { lo, hi } = sharedRange(sorted);
  const hists = series.map((s) => binSamples(s.samples, lo, hi, BINS));
  const shares = hists.map((h) => h.counts.map((c) => (h.total ? (100 * c) / h.total : 0)));
  const r = plotRanges(box);
  const x = linearScale([lo, hi], r.x, 8);
  const y = linearScale([0, Math.max(1e-9, ...shares.flat())], r.y, 5, true);
  const width = (hi - lo) / BINS;
  const body: string[] = [renderAxes(box, x, y, 'latency (ms)', '% of runs')];
  series.forEach((s, i) => {
    // a step outline: up and across each bin, so one <path> carries the whole series
    const pts: string[] = [`M${x(lo).toFixed(1)},${y(0).toFixed(1)}`];
    shares[i]!.forEach((v, b) => {
      pts.push(`L${x(lo + b * width).toFixed(1)},${y(v).toFixed(1)}`, `L${x(lo + (b + 1) * width).toFixed(1)},${y(v).toFixed(1)}`);
    });
    pts.push(`L${x(hi).toFixed(1)},${y(0).toFixed(1)}Z`);
    body.push(`<path class="hist" d="${pts.join('')}" fill="${s.color}" fill-opacity="0.28" stroke="${s.color}" stroke-width="1.5"/>`);
  });
  const legend: string[] = [];
  const notes: string[] = [];
  series.forEach((s, i) => {
    const p50 = quantileSorted(sorted[i]!, 0.5);
    const p90 = quantileSorted(sorted[i]!, 0.9);
    for (const [q, v] of [['p50', p50], ['p90', p90]] as const) {
      if (!Number.isFinite(v)) continue;
      const px = x(v).toFixed(1);
      body.push(`<line class="marker" x1="${px}" x2="${px}" y1="${r.y[1]}" y2="${r.y[0]}" stroke="${s.color}" stroke-dasharray="${q === 'p50' ? '5 3' : '2 3'}"><title>${escapeMarkup(`${s.label} ${q} ${formatValue(v)} ms`)}</title></line>`);
    }
    const h = hists[i]!;
    if (h.overflow) notes.push(`${s.label}: ${h.overflow} of ${h.total} runs above ${formatValue(hi)} ms are off the right edge (slowest ${formatValue(sorted[i]![sorted[i]!.length - 1])} ms)`);
    // the legend sits in the top margin, side by side, where no bar can hide it
    const lx = r.x[0] + i * 300;
    legend.push(`<rect x="${lx}" y="8" width="10" height="10" fill="${s.color}"/>`,
      `<text class="legend" x="${lx + 15}" y="17">${escapeMarkup(`${s.label}: p50 ${formatValue(p50)} · p90 ${formatValue(p90)} ms · n=${h.total}`)}</text>`);
  });
  return { svg: svgElement(box, 'latency-plot', title, [...body, ...legend].join('')), notes };
}
