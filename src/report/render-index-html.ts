// .edgeopt/out/index.html: every recipe of one build, linked, with one combined Pareto plot of the candidates.
import { HIGHER_IS_BETTER } from '../recipe/schema.js';
import { COLORS, htmlPage } from './html-page.js';
import { escapeMarkup as e } from './markup-escape.js';
import { formatValue, statusWord } from './format-values.js';
import type { Report } from './report-schema.js';
import { epRan } from './report-samples.js';
import { renderScatter, type ScatterPoint } from './svg-scatter-plot.js';

const QUALITY = ['accuracy.top1', 'accuracy.top5', 'fidelity.cosine', 'fidelity.snr_db', 'accuracy.cosine', 'accuracy.snr_db', 'accuracy.mse', 'fidelity.mse'];

export function renderIndexHtml(reports: Report[]): string {
  const rows = reports.map((r) => {
    const met = r.slo.filter((v) => v.status === 'pass').length;
    return `<tr><td><a href="${e(encodeURIComponent(r.recipe.name))}/report.html">${e(r.recipe.name)}</a></td>`
      + `<td><span class="status ${r.status}">${e(statusWord(r.status))}</span></td><td>${met}/${r.slo.length}</td><td>${e(epRan(r) ?? 'n/a')}</td>`
      + `<td class="num">${formatValue(r.final?.['latency.p90_ms'])}</td><td class="num">${formatValue(r.final?.size_mb)}</td><td class="num">${formatValue(r.final?.peak_memory_mb)}</td></tr>`;
  });
  const body = [
    `<h1>edgeopt build: ${reports.length} recipe(s)</h1>`,
    `<table id="recipes"><thead><tr><th>recipe</th><th>status</th><th>SLOs met</th><th>EP</th><th>p90 ms</th><th>size MB</th><th>peak MB</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    `<h2>Candidates</h2>`,
    paretoSection(reports, 'size_mb', 'size (MB)'),
  ];
  const quality = QUALITY.find((m) => reports.filter((r) => r.final?.[m] !== undefined).length >= 2);
  if (quality) body.push(paretoSection(reports, quality, quality));
  return htmlPage('edgeopt build', body.join('\n'));
}

/** Finals of every recipe, and each distinct source model's baseline once (recipes often share one). */
export function candidatePoints(reports: Report[], yMetric: string): ScatterPoint[] {
  const points: ScatterPoint[] = [];
  const baselines = new Map<string, ScatterPoint>();
  for (const r of reports) {
    const href = `${encodeURIComponent(r.recipe.name)}/report.html`;
    const fx = r.final?.['latency.p90_ms'];
    const fy = r.final?.[yMetric];
    if (fx !== undefined && fy !== undefined) points.push({ label: r.recipe.name, x: fx, y: fy, kind: 'final', href });
    const bx = r.baseline?.['latency.p90_ms'];
    const by = r.baseline?.[yMetric];
    if (bx === undefined || by === undefined) continue;
    const seen = baselines.get(r.model.source.sha256);
    if (seen) seen.label = `${seen.label}, ${r.recipe.name}`;
    else baselines.set(r.model.source.sha256, { label: r.recipe.name, x: bx, y: by, kind: 'baseline' });
  }
  return [...points, ...baselines.values()];
}

function paretoSection(reports: Report[], yMetric: string, yLabel: string): string {
  const points = candidatePoints(reports, yMetric);
  if (points.length < 2) return `<p class="note">Not enough measured candidates for a ${e(yLabel)} plot.</p>`;
  return renderScatter(points, {
    title: `p90 latency vs ${yLabel}`,
    xLabel: 'p90 latency (ms)',
    yLabel,
    better: { x: 'lower', y: HIGHER_IS_BETTER.has(yMetric) ? 'higher' : 'lower' },
    colors: COLORS,
  });
}
